package io.podidentity.identity;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the cache keeps of one ServiceAccount: its resourceVersion and the annotations under the
 * webhook's prefix, stored as interned name suffixes and values in one flat array. Clusters have
 * up to 10^5 ServiceAccounts, almost all without such annotations; they share
 * {@link #NO_ANNOTATIONS}.
 */
public final class CachedServiceAccount {

    private static final String[] NO_ANNOTATIONS = new String[0];

    private final String resourceVersion;
    /** suffix0, value0, suffix1, value1, ... (suffix = the annotation name after {@code <p>/}). */
    private final String[] annotations;

    private CachedServiceAccount(String resourceVersion, String[] annotations) {
        this.resourceVersion = resourceVersion;
        this.annotations = annotations;
    }

    /** Keeps only the annotations whose name starts with {@code prefix + "/"}. */
    public static CachedServiceAccount of(String resourceVersion, Map<String, String> allAnnotations, String prefix) {
        if (allAnnotations == null || allAnnotations.isEmpty()) {
            return new CachedServiceAccount(resourceVersion, NO_ANNOTATIONS);
        }
        String start = prefix + "/";
        String[] kept = null;
        int n = 0;
        for (Map.Entry<String, String> e : allAnnotations.entrySet()) {
            if (e.getKey().startsWith(start) && e.getValue() != null) {
                if (kept == null) {
                    kept = new String[allAnnotations.size() * 2];
                }
                kept[n++] = e.getKey().substring(start.length()).intern();
                kept[n++] = e.getValue();
            }
        }
        return new CachedServiceAccount(resourceVersion, kept == null ? NO_ANNOTATIONS : Arrays.copyOf(kept, n));
    }

    public String resourceVersion() {
        return resourceVersion;
    }

    /** The value of {@code <p>/suffix}, or {@code null}. */
    public String annotation(String suffix) {
        for (int i = 0; i < annotations.length; i += 2) {
            if (annotations[i].equals(suffix)) {
                return annotations[i + 1];
            }
        }
        return null;
    }

    public boolean hasAnnotations() {
        return annotations.length > 0;
    }

    /** The kept annotations with their full names. */
    public Map<String, String> annotations(String prefix) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < annotations.length; i += 2) {
            map.put(prefix + "/" + annotations[i], annotations[i + 1]);
        }
        return map;
    }
}
