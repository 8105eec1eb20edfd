package io.podidentity.mutation;

import java.util.List;

/**
 * What the mutation needs to know of one container.
 *
 * @param name the container name
 * @param envNames names of the existing {@code env} entries, or {@code null} when the container
 *     has no {@code env} array (a patch must then create the array instead of appending)
 * @param volumeMountNames names of the existing {@code volumeMounts}, or {@code null} when absent
 */
public record ContainerView(String name, List<String> envNames, List<String> volumeMountNames) {

    boolean hasEnv(String envName) {
        return envNames != null && envNames.contains(envName);
    }

    boolean hasVolumeMount(String volumeName) {
        return volumeMountNames != null && volumeMountNames.contains(volumeName);
    }
}
