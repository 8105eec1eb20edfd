package io.podidentity.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import io.podidentity.oidc.Discovery;
import io.podidentity.oidc.Jwks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A discovery document and the JWKS it points at, read from where they are published (the
 * issuer URL) or from the cluster's own API server.
 *
 * @param discovery the discovery document
 * @param jwks the signing keys
 * @param jwksSource where the keys were read, for messages
 */
record PublishedOidc(Discovery discovery, Jwks jwks, String jwksSource) {

    private static final String CLUSTER_DISCOVERY = "/.well-known/openid-configuration";
    // kube-apiserver serves its keys here whatever jwks_uri says (--service-account-jwks-uri only
    // changes the advertised URL), so this is read rather than the jwks_uri path.
    private static final String CLUSTER_JWKS = "/openid/v1/jwks";

    /** {@code <issuer>/.well-known/openid-configuration}, then its {@code jwks_uri}. */
    static PublishedOidc atIssuer(String issuer, Https https) {
        String url = Discovery.urlOf(issuer);
        Discovery discovery = Discovery.parse(https.get(url), url);
        return new PublishedOidc(discovery, Jwks.parse(https.get(discovery.jwksUri()), discovery.jwksUri()),
                discovery.jwksUri());
    }

    /** What the API server of {@code kubeconfig}'s current context serves about itself. */
    static PublishedOidc ofCluster(Path kubeconfig) {
        Config config;
        try {
            config = Config.fromKubeconfig(null, Files.readString(kubeconfig), kubeconfig.toString());
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("--kubeconfig " + kubeconfig + ": cannot be read (" + e.getMessage() + ")", e);
        }
        // The HTTP client is named, not looked up through ServiceLoader: the native image carries
        // none of the client's service lists (docs/native.md). Its own Vert.x: no server runs here.
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config)
                .withHttpClientFactory(new VertxHttpClientFactory()).build()) {
            String where = config.getMasterUrl().replaceAll("/+$", "");
            Discovery discovery = Discovery.parse(raw(client, CLUSTER_DISCOVERY, where), where + CLUSTER_DISCOVERY);
            Jwks jwks = Jwks.parse(raw(client, CLUSTER_JWKS, where), where + CLUSTER_JWKS);
            return new PublishedOidc(discovery, jwks, where + CLUSTER_JWKS);
        }
    }

    private static String raw(KubernetesClient client, String path, String where) {
        String body;
        try {
            body = client.raw(path);
        } catch (KubernetesClientException e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            throw new IllegalStateException("GET " + where + path + ": " + message, e);
        }
        if (body == null) {
            throw new IllegalStateException("GET " + where + path + ": not found (kube-apiserver 1.21+ serves it; "
                    + "is --service-account-issuer set, and may this user read it?)");
        }
        return body;
    }
}
