package io.podidentity.mutation;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Parsing of the pod annotations that influence the mutation. */
final class PodAnnotations {

    static final String TOKEN_EXPIRATION = "token-expiration";
    static final String SKIP_CONTAINERS = "skip-containers";

    private PodAnnotations() {}

    /**
     * Token lifetime, in order of preference: the pod's {@code <p>/token-expiration}, then the
     * identity's value (ServiceAccount annotation, ConfigMap entry or flag).
     */
    static long tokenExpiration(PodView pod, String prefix, long identityValue, List<String> warnings) {
        String key = prefix + "/" + TOKEN_EXPIRATION;
        String raw = pod.annotations().get(key);
        if (raw == null) {
            return identityValue;
        }
        return TokenLifetime.parse(raw, identityValue, "pod annotation " + key, warnings);
    }

    /**
     * Container names from {@code <p>/skip-containers}: one CSV record, each name trimmed. A
     * malformed value skips nothing; names matching no container are reported.
     */
    static Set<String> containersToSkip(PodView pod, String prefix, List<String> warnings) {
        String key = prefix + "/" + SKIP_CONTAINERS;
        String raw = pod.annotations().get(key);
        Set<String> names = new LinkedHashSet<>();
        if (raw == null) {
            return names;
        }
        try {
            for (String name : CsvRecord.parse(raw)) {
                String trimmed = name.trim();
                if (!trimmed.isEmpty()) {
                    names.add(trimmed);
                }
            }
        } catch (IllegalArgumentException e) {
            warnings.add("pod annotation " + key + ": \"" + raw + "\" is not a comma-separated list ("
                    + e.getMessage() + "); no container is skipped");
            return Set.of();
        }
        for (String name : names) {
            if (!hasContainer(pod, name)) {
                warnings.add("pod annotation " + key + ": no container or init container is named \"" + name + "\"");
            }
        }
        return names;
    }

    private static boolean hasContainer(PodView pod, String name) {
        return pod.containers().stream().anyMatch(c -> c.name().equals(name))
                || pod.initContainers().stream().anyMatch(c -> c.name().equals(name));
    }
}
