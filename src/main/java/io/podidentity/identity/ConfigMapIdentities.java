package io.podidentity.identity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.podidentity.mutation.TokenLifetime;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * ServiceAccount roles from the {@code config} key of the {@code pod-identity-webhook} ConfigMap
 * ({@code --watch-config-map}): a JSON object from {@code "namespace/name"} to
 * {@code {"RoleARN", "Audience", "UseRegionalSTS", "TokenExpiration"}}, field names matched
 * case-insensitively as Go's decoder does. A namespace of {@code *} matches every namespace.
 * The same map may be written as YAML [beyond upstream, which reads JSON only]: a value that
 * does not start with {@code {} is read as YAML, so that a kustomize configMapGenerator or a
 * GitOps repository can keep it readable.
 */
public final class ConfigMapIdentities {

    /** The ConfigMap's name and data key. */
    public static final String NAME = "pod-identity-webhook";
    public static final String KEY = "config";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final IdentityDefaults defaults;
    private volatile Map<String, ConfigMapEntry> entries = Map.of();

    public ConfigMapIdentities(IdentityDefaults defaults) {
        this.defaults = defaults;
    }

    /**
     * Replaces all entries with those of {@code config}; entries no longer listed are gone.
     *
     * @throws IllegalArgumentException saying what is wrong; the previous entries are kept
     */
    public void update(String config) {
        entries = parse(config == null ? "" : config);
    }

    /** The ConfigMap was deleted: its entries go too. */
    public void clear() {
        entries = Map.of();
    }

    public int size() {
        return entries.size();
    }

    /** Lookup order: the exact {@code namespace/name}, then {@code * /name}. */
    ConfigMapEntry find(String namespace, String name) {
        Map<String, ConfigMapEntry> current = entries;
        ConfigMapEntry exact = current.get(ServiceAccountStore.key(namespace, name));
        return exact != null ? exact : current.get(ServiceAccountStore.key("*", name));
    }

    /** Only the exact entry: what container-credentials mode reads for STS and lifetime. */
    ConfigMapEntry findExact(String namespace, String name) {
        return entries.get(ServiceAccountStore.key(namespace, name));
    }

    /** A copy for the debug handler: key → settings as upstream names them. */
    public Map<String, Map<String, Object>> snapshot() {
        Map<String, Map<String, Object>> copy = new java.util.TreeMap<>();
        entries.forEach((key, e) -> {
            Map<String, Object> fields = new java.util.LinkedHashMap<>();
            fields.put("RoleARN", e.roleArn());
            fields.put("Audience", e.audience());
            fields.put("UseRegionalSTS", e.useRegionalSts());
            fields.put("TokenExpiration", e.tokenExpiration());
            copy.put(key, fields);
        });
        return copy;
    }

    private Map<String, ConfigMapEntry> parse(String config) {
        if (config.isBlank()) {
            return Map.of();
        }
        // JSON keeps upstream's exact reading (YAML would refuse, for one, tabs JSON allows).
        boolean json = config.stripLeading().startsWith("{");
        JsonNode root;
        try {
            root = (json ? JSON : YAML).readTree(config);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("key \"" + KEY + "\" is not valid " + (json ? "JSON" : "YAML") + ": "
                    + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("key \"" + KEY + "\" must be a JSON object (or a YAML map) from "
                    + "\"namespace/name\" to settings");
        }
        Map<String, ConfigMapEntry> parsed = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = field.getKey();
            int slash = key.indexOf('/');
            if (slash <= 0 || slash == key.length() - 1 || key.indexOf('/', slash + 1) >= 0) {
                throw new IllegalArgumentException("entry \"" + key + "\": the key must be \"namespace/name\" (or \"*/name\")");
            }
            parsed.put(key, entry(key, field.getValue()));
        }
        return Map.copyOf(parsed);
    }

    private ConfigMapEntry entry(String key, JsonNode node) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("entry \"" + key + "\" must be a JSON object");
        }
        String roleArn = "";
        String audience = defaults.audience();
        boolean regional = false;
        long lifetime = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode value = field.getValue();
            if (value.isNull()) {
                continue;
            }
            String name = field.getKey().toLowerCase(java.util.Locale.ROOT);
            switch (name) {
                case "rolearn" -> roleArn = text(key, field.getKey(), value);
                case "audience" -> audience = text(key, field.getKey(), value);
                case "useregionalsts" -> {
                    if (!value.isBoolean()) {
                        throw wrongType(key, field.getKey(), "a boolean");
                    }
                    regional = value.booleanValue();
                }
                case "tokenexpiration" -> {
                    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
                        throw wrongType(key, field.getKey(), "an integer number of seconds");
                    }
                    lifetime = value.longValue();
                }
                default -> {
                    // Go's decoder ignores unknown fields; so do we.
                }
            }
        }
        long effective = lifetime == 0 ? defaults.tokenExpiration() : TokenLifetime.atLeastMinimum(lifetime);
        return new ConfigMapEntry(roleArn, audience, regional, effective);
    }

    private static String text(String key, String field, JsonNode value) {
        if (!value.isTextual()) {
            throw wrongType(key, field, "a string");
        }
        return value.textValue();
    }

    private static IllegalArgumentException wrongType(String key, String field, String expected) {
        return new IllegalArgumentException("entry \"" + key + "\": field \"" + field + "\" must be " + expected);
    }
}
