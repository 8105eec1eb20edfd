package io.podidentity.mutation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The mutation of SPEC §2: pod + resolved identity + settings → additive patch + warnings.
 *
 * <p>Pure apart from the injected random source, which only spreads the refresh of
 * default-lifetime container-credentials tokens.
 */
public final class PodMutator {

    /** Label added in container-credentials mode; upstream uses this key whatever the prefix. */
    public static final String POD_IDENTITY_LABEL = "eks.amazonaws.com/pod-identity";

    private final MutationSettings settings;
    private final RandomGenerator random;

    public PodMutator(MutationSettings settings, RandomGenerator random) {
        this.settings = settings;
        this.random = random;
    }

    public MutationResult mutate(PodView pod, Identity identity) {
        List<String> warnings = new ArrayList<>();
        long lifetime = PodAnnotations.tokenExpiration(
                pod, settings.annotationPrefix(), identity.tokenExpirationSeconds(), warnings);
        Set<String> skipped = PodAnnotations.containersToSkip(pod, settings.annotationPrefix(), warnings);

        Credentials credentials = credentials(pod, identity);
        if (identity instanceof Identity.ContainerCredentials && lifetime == TokenLifetime.DEFAULT) {
            // Spreads the token refreshes of the many pods that use the default lifetime.
            lifetime = random.nextLong(TokenLifetime.JITTER_MIN, TokenLifetime.DEFAULT + 1);
        }

        List<PatchOperation> patch = new ArrayList<>();
        if (identity instanceof Identity.ContainerCredentials) {
            addPodIdentityLabel(pod, patch);
        }
        addVolume(pod, credentials, lifetime, patch);
        List<String> mutated = new ArrayList<>();
        addToContainers(pod.initContainers(), "/spec/initContainers/", skipped, identity, credentials, patch, mutated);
        addToContainers(pod.containers(), "/spec/containers/", skipped, identity, credentials, patch, mutated);
        return new MutationResult(List.copyOf(patch), List.copyOf(warnings), lifetime, List.copyOf(mutated));
    }

    /** The mode-specific parts: which volume, which audience, which env names and values. */
    private record Credentials(TokenMount mount, String audience, String[] envNames, String[] envValues) {}

    private Credentials credentials(PodView pod, Identity identity) {
        if (identity instanceof Identity.WebIdentity web) {
            TokenMount mount = settings.webIdentity();
            return new Credentials(
                    mount,
                    web.audience(),
                    new String[] {EnvNames.ROLE_ARN, EnvNames.WEB_IDENTITY_TOKEN_FILE},
                    new String[] {web.roleArn(), tokenFile(pod, mount)});
        }
        TokenMount mount = settings.containerCredentials();
        return new Credentials(
                mount,
                settings.containerCredentialsAudience(),
                new String[] {EnvNames.CONTAINER_CREDENTIALS_FULL_URI, EnvNames.CONTAINER_AUTHORIZATION_TOKEN_FILE},
                new String[] {settings.containerCredentialsFullUri(), tokenFile(pod, mount)});
    }

    private static String tokenFile(PodView pod, TokenMount mount) {
        String file = mount.tokenFile();
        return pod.runsOnWindows() ? Paths.windows(file) : file;
    }

    private static void addPodIdentityLabel(PodView pod, List<PatchOperation> patch) {
        if (pod.labels() == null) {
            patch.add(PatchOperation.add("/metadata/labels", Map.of(POD_IDENTITY_LABEL, "enabled")));
        } else if (!"enabled".equals(pod.labels().get(POD_IDENTITY_LABEL))) {
            patch.add(PatchOperation.add("/metadata/labels/" + PatchOperation.escape(POD_IDENTITY_LABEL), "enabled"));
        }
    }

    private static void addVolume(PodView pod, Credentials credentials, long lifetime, List<PatchOperation> patch) {
        TokenMount mount = credentials.mount();
        if (pod.hasVolume(mount.volumeName())) {
            return;
        }
        Map<String, Object> token = new LinkedHashMap<>();
        token.put("audience", credentials.audience());
        token.put("expirationSeconds", lifetime);
        token.put("path", mount.tokenPath());
        Map<String, Object> volume = new LinkedHashMap<>();
        volume.put("name", mount.volumeName());
        volume.put("projected", Map.of("sources", List.of(Map.of("serviceAccountToken", token))));
        if (pod.volumeNames() == null) {
            patch.add(PatchOperation.add("/spec/volumes", List.of(volume)));
        } else {
            // Upstream puts the token volume first; keep the resulting pod identical.
            patch.add(PatchOperation.add("/spec/volumes/0", volume));
        }
    }

    private void addToContainers(
            List<ContainerView> containers,
            String basePath,
            Set<String> skipped,
            Identity identity,
            Credentials credentials,
            List<PatchOperation> patch,
            List<String> mutated) {
        for (int i = 0; i < containers.size(); i++) {
            ContainerView container = containers.get(i);
            if (skipped.contains(container.name())) {
                continue;
            }
            int before = patch.size();
            addToContainer(container, basePath + i, identity, credentials, patch);
            if (patch.size() > before) {
                mutated.add(container.name());
            }
        }
    }

    private void addToContainer(
            ContainerView container, String path, Identity identity, Credentials credentials, List<PatchOperation> patch) {
        boolean hasIdentity = container.hasEnv(credentials.envNames()[0]) || container.hasEnv(credentials.envNames()[1]);
        boolean hasRegion = container.hasEnv(EnvNames.REGION) || container.hasEnv(EnvNames.DEFAULT_REGION);
        boolean hasSts = container.hasEnv(EnvNames.STS_REGIONAL_ENDPOINTS);
        if (hasIdentity && hasRegion && hasSts) {
            // The container manages its own AWS configuration entirely: no env, no mount.
            return;
        }
        List<Map<String, String>> env = new ArrayList<>(5);
        if (!hasSts && identity.useRegionalSts()) {
            env.add(envVar(EnvNames.STS_REGIONAL_ENDPOINTS, "regional"));
        }
        if (!hasRegion && !settings.region().isEmpty()) {
            env.add(envVar(EnvNames.DEFAULT_REGION, settings.region()));
            env.add(envVar(EnvNames.REGION, settings.region()));
        }
        if (!hasIdentity) {
            env.add(envVar(credentials.envNames()[0], credentials.envValues()[0]));
            env.add(envVar(credentials.envNames()[1], credentials.envValues()[1]));
        }
        appendAll(patch, path + "/env", container.envNames() != null, env);

        TokenMount mount = credentials.mount();
        if (!container.hasVolumeMount(mount.volumeName())) {
            Map<String, Object> volumeMount = new LinkedHashMap<>();
            volumeMount.put("name", mount.volumeName());
            volumeMount.put("readOnly", true);
            volumeMount.put("mountPath", mount.mountPath());
            appendAll(patch, path + "/volumeMounts", container.volumeMountNames() != null, List.of(volumeMount));
        }
    }

    /** Appends to an existing array element by element, or creates the array in one operation. */
    private static void appendAll(List<PatchOperation> patch, String arrayPath, boolean exists, List<?> items) {
        if (items.isEmpty()) {
            return;
        }
        if (!exists) {
            patch.add(PatchOperation.add(arrayPath, items));
            return;
        }
        for (Object item : items) {
            patch.add(PatchOperation.add(arrayPath + "/-", item));
        }
    }

    private static Map<String, String> envVar(String name, String value) {
        Map<String, String> env = new LinkedHashMap<>(4);
        env.put("name", name);
        env.put("value", value);
        return env;
    }
}
