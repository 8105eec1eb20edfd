package io.podidentity.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.StreamSupport;

/**
 * A JSON Web Key Set: the signing keys of an issuer. Several keys are normal during a rotation.
 *
 * @param keys sorted by kid, so the same keys always produce the same file
 */
public record Jwks(List<Jwk> keys) {

    public Jwks {
        keys = keys.stream().sorted(Comparator.comparing(Jwk::kid)).distinct().toList();
    }

    /**
     * @param what names the document in error messages (a file or URL)
     * @throws IllegalArgumentException when the text is not a JWKS or holds a non-RSA key
     */
    public static Jwks parse(String text, String what) {
        JsonNode node = PrettyJson.readObject(text, what);
        JsonNode keys = node.path("keys");
        if (!keys.isArray()) {
            throw new IllegalArgumentException(what + " has no \"keys\" array; it is not a JWKS");
        }
        try {
            return new Jwks(StreamSupport.stream(keys.spliterator(), false).map(Jwk::fromJson).toList());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage());
        }
    }

    public Optional<Jwk> find(String kid) {
        return keys.stream().filter(key -> key.kid().equals(kid)).findFirst();
    }

    public List<String> kids() {
        return keys.stream().map(Jwk::kid).toList();
    }

    /** The file to publish: pretty-printed, with a trailing newline. */
    public String toJson() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ArrayNode array = root.putArray("keys");
        keys.forEach(key -> array.add(key.toJson()));
        return PrettyJson.write(root);
    }
}
