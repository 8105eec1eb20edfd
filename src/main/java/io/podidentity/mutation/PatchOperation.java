package io.podidentity.mutation;

/**
 * One RFC 6902 operation. This webhook only ever emits {@code add}: it never replaces or removes
 * what the pod already has, so fields it does not know reach the API server untouched.
 *
 * @param op always {@code "add"}
 * @param path a JSON Pointer into the pod
 * @param value a JSON-serialisable value: {@code String}, {@code Number}, {@code Boolean},
 *     {@code java.util.Map} or {@code java.util.List}
 */
public record PatchOperation(String op, String path, Object value) {

    public static PatchOperation add(String path, Object value) {
        return new PatchOperation("add", path, value);
    }

    /** Escapes one JSON Pointer reference token ({@code ~} → {@code ~0}, {@code /} → {@code ~1}). */
    public static String escape(String token) {
        if (token.indexOf('~') < 0 && token.indexOf('/') < 0) {
            return token;
        }
        return token.replace("~", "~0").replace("/", "~1");
    }
}
