package io.podidentity.identity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * ServiceAccounts that use container credentials (EKS Pod Identity), from the file of
 * {@code --watch-container-credentials-config}:
 * {@code {"identities":[{"namespace":"ns","serviceAccount":"sa"}]}}.
 */
public final class ContainerCredentialsIdentities {

    private static final ObjectMapper JSON = Binding.likeGo(JsonMapper.builder());
    private static final ObjectReader CONFIG = JSON.readerFor(Config.class);
    private static final String NOT_AN_OBJECT = "expected a JSON object {\"identities\": [...]}";

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
        JsonNode tree;
        try {
            tree = JSON.readTree(content);
        } catch (IOException e) {
            String detail = e instanceof JsonProcessingException p ? p.getOriginalMessage() : e.getMessage();
            throw new IllegalArgumentException("not valid JSON: " + detail);
        }
        Config config = Binding.bind(CONFIG, tree, ContainerCredentialsIdentities::problem);
        if (config == null) {
            throw new IllegalArgumentException(NOT_AN_OBJECT);
        }
        Set<String> loaded = new HashSet<>();
        for (Identity identity : config.identities) {
            // Go's decoder leaves null or absent fields empty; such an item can never match a pod.
            if (identity != null && !identity.namespace.isEmpty() && !identity.serviceAccount.isEmpty()) {
                loaded.add(ServiceAccountStore.key(identity.namespace, identity.serviceAccount));
            }
        }
        identities = Set.copyOf(loaded);
    }

    /** Names the item, and the field as the file spells it. */
    private static String problem(JsonMappingException e) {
        List<JsonMappingException.Reference> path = e.getPath();
        return switch (path.size()) {
            case 0 -> NOT_AN_OBJECT;
            case 1 -> "\"" + path.get(0).getFieldName() + "\" must be an array";
            case 2 -> "identities[" + path.get(1).getIndex() + "] must be an object";
            default -> "identities[" + path.get(1).getIndex() + "]." + path.get(2).getFieldName() + " must be a string";
        };
    }

    public boolean contains(String namespace, String serviceAccount) {
        return identities.contains(ServiceAccountStore.key(namespace, serviceAccount));
    }

    public int size() {
        return identities.size();
    }

    /** The file as {@link Binding#likeGo} fills it; classes for the reasons given at ConfigMapIdentities.Settings. */
    @RegisterForReflection
    private static final class Config {
        public List<Identity> identities = List.of();
    }

    @RegisterForReflection
    private static final class Identity {
        public String namespace = "";
        public String serviceAccount = "";
    }
}
