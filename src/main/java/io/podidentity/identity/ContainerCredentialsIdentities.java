package io.podidentity.identity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * ServiceAccounts that use container credentials (EKS Pod Identity), from the file of
 * {@code --watch-container-credentials-config}:
 * {@code {"identities":[{"namespace":"ns","serviceAccount":"sa"}]}}.
 */
public final class ContainerCredentialsIdentities {

    private static final ObjectMapper JSON = new ObjectMapper();

    private volatile Set<String> identities = Set.of();

    /**
     * Replaces the set with the file's content; {@code null} or empty content (a missing or empty
     * file) means no identities.
     *
     * @throws IllegalArgumentException saying what is wrong; the previous set is kept
     */
    public void load(byte[] content) {
        if (content == null || new String(content, StandardCharsets.UTF_8).isBlank()) {
            identities = Set.of();
            return;
        }
        JsonNode root;
        try {
            root = JSON.readTree(content);
        } catch (java.io.IOException e) {
            String detail = e instanceof JsonProcessingException p ? p.getOriginalMessage() : e.getMessage();
            throw new IllegalArgumentException("not valid JSON: " + detail);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("expected a JSON object {\"identities\": [...]}");
        }
        JsonNode list = field(root, "identities");
        Set<String> loaded = new HashSet<>();
        if (list != null && !list.isNull()) {
            if (!list.isArray()) {
                throw new IllegalArgumentException("\"identities\" must be an array");
            }
            for (int i = 0; i < list.size(); i++) {
                JsonNode item = list.get(i);
                if (item.isNull()) {
                    continue;
                }
                if (!item.isObject()) {
                    throw new IllegalArgumentException("identities[" + i + "] must be an object");
                }
                String namespace = text(item, "namespace", i);
                String serviceAccount = text(item, "serviceAccount", i);
                // Go's decoder leaves absent fields empty; such an item can never match a pod.
                if (!namespace.isEmpty() && !serviceAccount.isEmpty()) {
                    loaded.add(ServiceAccountStore.key(namespace, serviceAccount));
                }
            }
        }
        identities = Set.copyOf(loaded);
    }

    /** A field by name, matched case-insensitively as Go's decoder does. */
    private static JsonNode field(JsonNode object, String name) {
        for (var it = object.fields(); it.hasNext(); ) {
            var e = it.next();
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    private static String text(JsonNode item, String name, int index) {
        JsonNode value = field(item, name);
        if (value == null || value.isNull()) {
            return "";
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException("identities[" + index + "]." + name + " must be a string");
        }
        return value.textValue();
    }

    public boolean contains(String namespace, String serviceAccount) {
        return identities.contains(ServiceAccountStore.key(namespace, serviceAccount));
    }

    public int size() {
        return identities.size();
    }
}
