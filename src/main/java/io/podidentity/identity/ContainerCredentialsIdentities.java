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
        JsonNode list = root.get("identities");
        Set<String> loaded = new HashSet<>();
        if (list != null && !list.isNull()) {
            if (!list.isArray()) {
                throw new IllegalArgumentException("\"identities\" must be an array");
            }
            for (int i = 0; i < list.size(); i++) {
                JsonNode item = list.get(i);
                String namespace = item.path("namespace").asText("");
                String serviceAccount = item.path("serviceAccount").asText("");
                if (!item.isObject() || !item.path("namespace").isTextual() || !item.path("serviceAccount").isTextual()
                        || namespace.isEmpty() || serviceAccount.isEmpty()) {
                    throw new IllegalArgumentException("identities[" + i
                            + "] must be an object with non-empty strings \"namespace\" and \"serviceAccount\"");
                }
                loaded.add(ServiceAccountStore.key(namespace, serviceAccount));
            }
        }
        identities = Set.copyOf(loaded);
    }

    public boolean contains(String namespace, String serviceAccount) {
        return identities.contains(ServiceAccountStore.key(namespace, serviceAccount));
    }

    public int size() {
        return identities.size();
    }
}
