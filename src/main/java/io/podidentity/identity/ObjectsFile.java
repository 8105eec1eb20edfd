package io.podidentity.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeSet;

/**
 * Standalone mode's input ({@code --objects-file}): YAML or JSON, one or several documents, each
 * an object or a {@code List}; ServiceAccounts and optionally the {@code pod-identity-webhook}
 * ConfigMap. Other kinds are ignored.
 *
 * @param serviceAccounts reduced ServiceAccounts by {@code namespace/name}
 * @param configMapConfig the ConfigMap's {@code config} value, or {@code null} when there is no such ConfigMap
 * @param ignoredKinds kinds present in the file that are not used
 */
public record ObjectsFile(Map<String, CachedServiceAccount> serviceAccounts, String configMapConfig, TreeSet<String> ignoredKinds) {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /**
     * @param configMapNamespace where the ConfigMap must be ({@code --namespace})
     * @throws IllegalArgumentException naming the document and what is wrong
     */
    public static ObjectsFile parse(byte[] content, String annotationPrefix, String configMapNamespace) {
        Map<String, CachedServiceAccount> accounts = new HashMap<>();
        String[] config = {null};
        TreeSet<String> ignored = new TreeSet<>();
        // Counted before reading: a parse error may come from hasNextValue() or nextValue(), and
        // either way it belongs to the document being read.
        int document = 1;
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(content)) {
            for (; docs.hasNextValue(); document++) {
                JsonNode node = docs.nextValue();
                add(node, "document " + document, annotationPrefix, configMapNamespace, accounts, config, ignored);
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new IllegalArgumentException("document " + document + " is not valid YAML or JSON: "
                    + firstLine(e.getMessage()));
        }
        return new ObjectsFile(Map.copyOf(accounts), config[0], ignored);
    }

    private static void add(JsonNode node, String where, String prefix, String cmNamespace,
            Map<String, CachedServiceAccount> accounts, String[] config, TreeSet<String> ignored) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return; // an empty YAML document
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + " is not an object");
        }
        String kind = node.path("kind").asText("");
        if (kind.isEmpty()) {
            throw new IllegalArgumentException(where + " has no kind");
        }
        if (kind.equals("List") || (kind.endsWith("List") && node.has("items"))) {
            JsonNode items = node.path("items");
            for (int i = 0; i < items.size(); i++) {
                add(items.get(i), where + " items[" + i + "]", prefix, cmNamespace, accounts, config, ignored);
            }
            return;
        }
        JsonNode metadata = node.path("metadata");
        String name = metadata.path("name").asText("");
        String namespace = metadata.path("namespace").asText("default");
        if (kind.equals("ServiceAccount")) {
            if (name.isEmpty()) {
                throw new IllegalArgumentException(where + ": ServiceAccount without metadata.name");
            }
            accounts.put(ServiceAccountStore.key(namespace, name),
                    CachedServiceAccount.of(metadata.path("resourceVersion").asText("1"), annotations(metadata, where), prefix));
        } else if (kind.equals("ConfigMap") && name.equals(ConfigMapIdentities.NAME)) {
            String declared = metadata.path("namespace").asText(cmNamespace);
            if (!declared.equals(cmNamespace)) {
                throw new IllegalArgumentException(where + ": ConfigMap " + ConfigMapIdentities.NAME + " is in namespace \""
                        + declared + "\" but --namespace is \"" + cmNamespace + "\"");
            }
            config[0] = node.path("data").path(ConfigMapIdentities.KEY).asText("");
        } else {
            ignored.add(kind);
        }
    }

    private static Map<String, String> annotations(JsonNode metadata, String where) {
        JsonNode node = metadata.path("annotations");
        Map<String, String> map = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                throw new IllegalArgumentException(where + ": annotation " + e.getKey() + " is not a string");
            }
            map.put(e.getKey(), e.getValue().asText());
        }
        return map;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
