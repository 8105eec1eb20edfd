package io.podidentity.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The OpenID Connect discovery document ({@code /.well-known/openid-configuration}) with the
 * members kube-apiserver publishes and AWS IAM reads.
 *
 * @param issuer exactly the {@code iss} of the tokens
 * @param jwksUri where the JWKS is served
 */
public record Discovery(String issuer, String jwksUri) {

    /** Where the document lives under an issuer. */
    public static final String PATH = ".well-known/openid-configuration";

    /**
     * @param what names the document in error messages (a file or URL)
     * @throws IllegalArgumentException when the text is not a discovery document
     */
    public static Discovery parse(String text, String what) {
        JsonNode node = PrettyJson.readObject(text, what);
        String issuer = node.path("issuer").asText("");
        String jwksUri = node.path("jwks_uri").asText("");
        if (issuer.isEmpty() || jwksUri.isEmpty()) {
            throw new IllegalArgumentException(what + " lacks \"issuer\" or \"jwks_uri\"; it is not an OpenID discovery document");
        }
        return new Discovery(issuer, jwksUri);
    }

    /** The discovery URL of an issuer: {@code <issuer>/.well-known/openid-configuration}. */
    public static String urlOf(String issuer) {
        return stripSlash(issuer) + "/" + PATH;
    }

    /** The document as an issuer that serves its JWKS at {@code jwksPath} publishes it. */
    public static Discovery forIssuer(String issuer, String jwksPath) {
        return new Discovery(issuer, stripSlash(issuer) + "/" + jwksPath.replaceAll("^/+", ""));
    }

    /** The file to publish: pretty-printed, stable member order, trailing newline. */
    public String toJson() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("issuer", issuer);
        root.put("jwks_uri", jwksUri);
        root.putArray("response_types_supported").add("id_token");
        root.putArray("subject_types_supported").add("public");
        root.putArray("id_token_signing_alg_values_supported").add("RS256");
        return PrettyJson.write(root);
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
