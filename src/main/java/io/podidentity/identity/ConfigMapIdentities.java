package io.podidentity.identity;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.podidentity.mutation.TokenLifetime;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.HashMap;
import java.util.List;
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

    private static final ObjectMapper JSON = Binding.likeGo(JsonMapper.builder());
    private static final ObjectMapper YAML = Binding.likeGo(YAMLMapper.builder());
    private static final String NOT_A_MAP =
            "key \"" + KEY + "\" must be a JSON object (or a YAML map) from \"namespace/name\" to settings";

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
        ObjectMapper mapper = json ? JSON : YAML;
        JsonNode tree;
        try {
            tree = mapper.readTree(config);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("key \"" + KEY + "\" is not valid " + (json ? "JSON" : "YAML") + ": "
                    + e.getOriginalMessage());
        }
        Map<String, Settings> read = Binding.bind(mapper.readerForMapOf(Settings.class), tree, ConfigMapIdentities::problem);
        if (read == null) {
            throw new IllegalArgumentException(NOT_A_MAP);
        }
        Map<String, ConfigMapEntry> parsed = new HashMap<>();
        read.forEach((key, settings) -> {
            int slash = key.indexOf('/');
            if (slash <= 0 || slash == key.length() - 1 || key.indexOf('/', slash + 1) >= 0) {
                throw new IllegalArgumentException("entry \"" + key + "\": the key must be \"namespace/name\" (or \"*/name\")");
            }
            if (settings == null) {
                throw new IllegalArgumentException("entry \"" + key + "\" must be a JSON object");
            }
            parsed.put(key, settings.entry(defaults));
        });
        return Map.copyOf(parsed);
    }

    /** Names the entry, and the field as the map spells it. */
    private static String problem(JsonMappingException e) {
        List<JsonMappingException.Reference> path = e.getPath();
        if (path.isEmpty()) {
            return NOT_A_MAP;
        }
        String entry = "entry \"" + path.get(0).getFieldName() + "\"";
        if (path.size() == 1) {
            return entry + " must be a JSON object";
        }
        // Neither a string nor a boolean: TokenExpiration, whose overflow the parser reports with no target type.
        Class<?> target = e instanceof MismatchedInputException m ? m.getTargetType() : null;
        return entry + ": field \"" + path.get(1).getFieldName() + "\" must be "
                + (target == String.class ? "a string" : target == boolean.class ? "a boolean" : "an integer number of seconds");
    }

    /**
     * One entry as written, filled as Go fills a struct ({@link Binding#likeGo}). A class, as Jackson
     * would fail on a record where Go lets a later {@code "rolearn"} replace an earlier
     * {@code "RoleARN"}, and names a class's fields in errors as the map spells them.
     */
    @RegisterForReflection
    private static final class Settings {
        @JsonProperty("RoleARN") String roleArn = "";
        @JsonProperty("Audience") String audience; // null: the flag's
        @JsonProperty("UseRegionalSTS") boolean useRegionalSts;
        @JsonProperty("TokenExpiration") long tokenExpiration; // 0: the flag's

        ConfigMapEntry entry(IdentityDefaults defaults) {
            return new ConfigMapEntry(roleArn, audience == null ? defaults.audience() : audience, useRegionalSts,
                    tokenExpiration == 0 ? defaults.tokenExpiration() : TokenLifetime.atLeastMinimum(tokenExpiration));
        }
    }
}
