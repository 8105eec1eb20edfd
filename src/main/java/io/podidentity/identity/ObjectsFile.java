package io.podidentity.identity;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Collectors;

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

    private static final ObjectMapper YAML = YAMLMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    private static final ObjectReader OBJECT = YAML.readerFor(KubeObject.class);

    /**
     * Reads every document before it looks at the objects, so a file that cannot be read is
     * reported as such first.
     *
     * @param configMapNamespace where the ConfigMap must be ({@code --namespace})
     * @throws IllegalArgumentException naming the document and what is wrong
     */
    public static ObjectsFile parse(byte[] content, String annotationPrefix, String configMapNamespace) {
        List<Located> objects = new ArrayList<>();
        // Counted before reading: a parse error may come from hasNextValue() or nextValue(), and
        // either way it belongs to the document being read.
        int document = 1;
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(content)) {
            for (; docs.hasNextValue(); document++) {
                flatten(docs.nextValue(), "document " + document, objects);
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new IllegalArgumentException("document " + document + " is not valid YAML or JSON: "
                    + firstLine(e.getMessage()));
        }
        Map<String, CachedServiceAccount> accounts = new HashMap<>();
        String config = null;
        TreeSet<String> ignored = new TreeSet<>();
        for (Located located : objects) {
            String kind = located.object().kind();
            Metadata metadata = located.object().metadata();
            if (kind.equals("ServiceAccount")) {
                if (metadata.name() == null || metadata.name().isEmpty()) {
                    throw new IllegalArgumentException(located.where() + ": ServiceAccount without metadata.name");
                }
                accounts.put(ServiceAccountStore.key(Objects.requireNonNullElse(metadata.namespace(), "default"), metadata.name()),
                        CachedServiceAccount.of(Objects.requireNonNullElse(metadata.resourceVersion(), "1"),
                                metadata.annotations(), annotationPrefix));
            } else if (kind.equals("ConfigMap") && ConfigMapIdentities.NAME.equals(metadata.name())) {
                String declared = Objects.requireNonNullElse(metadata.namespace(), configMapNamespace);
                if (!declared.equals(configMapNamespace)) {
                    throw new IllegalArgumentException(located.where() + ": ConfigMap " + ConfigMapIdentities.NAME
                            + " is in namespace \"" + declared + "\" but --namespace is \"" + configMapNamespace + "\"");
                }
                config = Objects.toString(located.object().data().get(ConfigMapIdentities.KEY), "");
            } else {
                ignored.add(kind);
            }
        }
        return new ObjectsFile(Map.copyOf(accounts), config, ignored);
    }

    /** Binds the object and adds it, or each item of a List, with where it is in the file. */
    private static void flatten(JsonNode tree, String where, List<Located> into) {
        KubeObject object = Binding.bind(OBJECT, tree, e -> problem(where, e));
        if (object == null) {
            return; // an empty YAML document, or a null item
        }
        if (object.kind() == null || object.kind().isEmpty()) {
            throw new IllegalArgumentException(where + " has no kind");
        }
        if (object.kind().equals("List") || (object.kind().endsWith("List") && object.items() != null)) {
            List<JsonNode> items = Objects.requireNonNullElse(object.items(), List.of());
            for (int i = 0; i < items.size(); i++) {
                flatten(items.get(i), where + " items[" + i + "]", into);
            }
        } else {
            into.add(new Located(where, object));
        }
    }

    /** Names the value of the wrong type by its path in the object, and what it must be. */
    private static String problem(String where, JsonMappingException e) {
        List<JsonMappingException.Reference> path = e.getPath();
        if (path.isEmpty()) {
            return where + " is not an object";
        }
        if (path.size() == 3 && "annotations".equals(path.get(1).getFieldName())) {
            return where + ": annotation " + path.get(2).getFieldName() + " is not a string";
        }
        Class<?> target = e instanceof MismatchedInputException m ? m.getTargetType() : null;
        return where + ": " + path.stream().map(JsonMappingException.Reference::getFieldName).collect(Collectors.joining("."))
                + " must be " + (target == String.class ? "a string"
                        : target != null && List.class.isAssignableFrom(target) ? "a list" : "an object");
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    private record Located(String where, KubeObject object) {}

    /**
     * A document or List item, as much as the webhook reads of any kind. {@code data} takes any
     * value, as kinds other than ConfigMap (ControllerRevision) hold objects there; {@code items}
     * are bound one by one, so that an error names its item.
     */
    @RegisterForReflection
    private record KubeObject(String kind, Metadata metadata, Map<String, Object> data, List<JsonNode> items) {
        KubeObject {
            metadata = Objects.requireNonNullElse(metadata, new Metadata(null, null, null, null));
            data = Objects.requireNonNullElse(data, Map.of());
        }
    }

    /** An annotation that is not a string (a map, {@code null}) is refused, whatever the kind. */
    @RegisterForReflection
    private record Metadata(String name, String namespace, String resourceVersion,
            @JsonSetter(contentNulls = Nulls.FAIL) Map<String, String> annotations) {}
}
