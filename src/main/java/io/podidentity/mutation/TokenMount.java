package io.podidentity.mutation;

/**
 * Where a projected service-account token is mounted.
 *
 * @param volumeName the pod volume name ({@code aws-iam-token} for web identity)
 * @param mountPath the directory mounted in each container
 * @param tokenPath the file name of the token inside the volume
 */
public record TokenMount(String volumeName, String mountPath, String tokenPath) {

    /** The token file: mount path and token path joined and cleaned like Go's {@code filepath.Join}. */
    public String tokenFile() {
        return Paths.clean(mountPath + "/" + tokenPath);
    }
}
