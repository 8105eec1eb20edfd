package io.podidentity.identity;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountList;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.internal.SSLUtils;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;

/**
 * The first list of ServiceAccounts, read on a thread of its own while the server boots. No pod is
 * mutated before its ServiceAccount is cached, and the informer's own list cannot begin before the
 * Kubernetes client, which runs on the server's Vert.x: in the native executable that was 68 ms
 * into a start of about 130 (bench/RESULTS.md). This list begins a few milliseconds in.
 *
 * <p>It is one GET of {@code /api/v1/serviceaccounts?resourceVersion=0}, which the API server
 * answers from its watch cache, as client-go's informers (the Go webhook's) ask for theirs; the
 * JSON is read with the informer's reader ({@link ServiceAccountReader}). The informer starts once
 * this list is stored ({@link ClusterInformers}): its own list replaces what changed since and
 * removes what was deleted, and its watch follows. So this list only makes the cache full sooner; if
 * it fails or cannot be made (a proxy, impersonation or an auth provider in the kubeconfig, none of
 * which it speaks), the informer's list is the first, as before.
 */
public final class ServiceAccountPrefetch {

    static final String PATH = "/api/v1/serviceaccounts?resourceVersion=0";
    /**
     * Bounds on the connection and on each read, not on the whole list: a cluster with 10^5
     * ServiceAccounts answers 100 MB. The informer waits for this list, so a silent API server
     * must not hold it for long; a reachable one answers within a second.
     */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

    private final CompletableFuture<Config> cluster = new CompletableFuture<>();
    private final CompletableFuture<List<ServiceAccount>> listed = new CompletableFuture<>();
    private final long startNanos = System.nanoTime();
    private volatile long tookNanos;

    private ServiceAccountPrefetch() {}

    /**
     * Resolves the connection with {@code cluster} and lists, on a new daemon thread; returns at once.
     * What resolving throws is rethrown by {@link #cluster()}, where the client is built.
     */
    public static ServiceAccountPrefetch start(Supplier<Config> cluster, String annotationPrefix) {
        ServiceAccountPrefetch prefetch = new ServiceAccountPrefetch();
        Thread thread = new Thread(() -> {
            try {
                prefetch.run(cluster, annotationPrefix);
            } catch (Throwable t) {
                // An Error too (a class missing from the native image): the informer waits for
                // this list to end, so it must end, with its reason.
                prefetch.cluster.completeExceptionally(t);
                prefetch.listed.completeExceptionally(t);
            }
        }, "serviceaccount-prefetch");
        thread.setDaemon(true);
        thread.start();
        return prefetch;
    }

    private void run(Supplier<Config> resolve, String annotationPrefix) {
        Config config;
        try {
            config = resolve.get();
        } catch (RuntimeException e) {
            cluster.completeExceptionally(e);
            listed.completeExceptionally(e);
            return;
        }
        Request request;
        try {
            request = Request.of(config);
        } catch (IOException | RuntimeException | GeneralSecurityException e) {
            request = null;
            listed.completeExceptionally(e);
        }
        // The client may have the configuration now: the request holds everything it needs of it.
        cluster.complete(config);
        if (request != null) {
            try {
                List<ServiceAccount> accounts = request.list(ServiceAccountReader.serialization(annotationPrefix));
                tookNanos = System.nanoTime() - startNanos;
                listed.complete(accounts);
            } catch (IOException | RuntimeException e) {
                listed.completeExceptionally(e);
            }
        }
    }

    /** The resolved connection settings, waiting for them if needed; throws what resolving threw. */
    public Config cluster() {
        try {
            return cluster.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** The ServiceAccounts, reduced as the informer reads them, or why there are none. */
    public CompletableFuture<List<ServiceAccount>> listed() {
        return listed;
    }

    /** From the start to the last ServiceAccount read (zero until then). */
    public Duration took() {
        return Duration.ofNanos(tookNanos);
    }

    /** One GET, with what it needs taken from the client's configuration. */
    record Request(URI uri, String authorization, SSLSocketFactory tls, boolean verifyHost) {

        static Request of(Config config) throws IOException, GeneralSecurityException {
            String unsupported = unsupported(config);
            if (unsupported != null) {
                throw new UnsupportedOperationException("not made, because the configuration has " + unsupported);
            }
            String master = config.getMasterUrl();
            if (master == null || master.isEmpty()) {
                throw new IllegalArgumentException("no API server URL in the configuration");
            }
            String base = master.endsWith("/") ? master.substring(0, master.length() - 1) : master;
            URI uri = URI.create(base + PATH);
            SSLSocketFactory tls = "https".equals(uri.getScheme()) ? SSLUtils.sslContext(config).getSocketFactory() : null;
            // Trusting every certificate makes checking the name in it pointless.
            return new Request(uri, authorization(config), tls,
                    !config.isDisableHostnameVerification() && !config.isTrustCerts());
        }

        /** What this plain GET does not do that the client would, or {@code null}. */
        private static String unsupported(Config config) {
            if (present(config.getHttpsProxy()) || present(config.getHttpProxy())) {
                return "a proxy";
            }
            if (present(config.getImpersonateUsername())) {
                return "impersonation";
            }
            if (config.getAuthProvider() != null) {
                return "an auth provider";
            }
            return null;
        }

        private static boolean present(String s) {
            return s != null && !s.isEmpty();
        }

        /**
         * The credentials as the client sends them: a user name and password if both are set, otherwise
         * the token provider's, the configured or the file's bearer token; {@code null} for none (a
         * client certificate, or no authentication).
         */
        private static String authorization(Config config) {
            if (present(config.getUsername()) && present(config.getPassword())) {
                return "Basic " + Base64.getEncoder().encodeToString(
                        (config.getUsername() + ":" + config.getPassword()).getBytes(StandardCharsets.UTF_8));
            }
            String token = config.getOauthTokenProvider() != null
                    ? config.getOauthTokenProvider().getToken()
                    : present(config.getOauthToken()) ? config.getOauthToken() : config.getAutoOAuthToken();
            return present(token) ? "Bearer " + token : null;
        }

        List<ServiceAccount> list(KubernetesSerialization serialization) throws IOException {
            HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
            try {
                if (connection instanceof HttpsURLConnection https) {
                    https.setSSLSocketFactory(tls);
                    if (!verifyHost) {
                        https.setHostnameVerifier((host, session) -> true);
                    }
                }
                connection.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
                connection.setReadTimeout((int) READ_TIMEOUT.toMillis());
                connection.setRequestProperty("Accept", "application/json");
                connection.setRequestProperty("User-Agent", "pod-identity-webhook");
                if (authorization != null) {
                    connection.setRequestProperty("Authorization", authorization);
                }
                int status = connection.getResponseCode();
                if (status != HttpURLConnection.HTTP_OK) {
                    throw new IOException("GET " + uri.getPath() + " answered " + status + ": " + errorBody(connection));
                }
                ServiceAccountList list;
                try (InputStream body = connection.getInputStream()) {
                    list = serialization.unmarshal(body, ServiceAccountList.class);
                } catch (RuntimeException e) {
                    throw new IOException("GET " + uri.getPath() + " answered what is not a ServiceAccount list: "
                            + e.getMessage(), e);
                }
                if (list == null || list.getItems() == null || !"ServiceAccountList".equals(list.getKind())) {
                    throw new IOException("GET " + uri.getPath() + " answered what is not a ServiceAccount list (kind "
                            + (list == null ? null : list.getKind()) + ")");
                }
                return list.getItems();
            } finally {
                connection.disconnect();
            }
        }

        /** The start of an error answer's body (a Status, usually), on one line. */
        private static String errorBody(HttpURLConnection connection) {
            try (InputStream err = connection.getErrorStream()) {
                if (err == null) {
                    return "(no body)";
                }
                String text = new String(err.readNBytes(512), StandardCharsets.UTF_8);
                return text.replaceAll("\\s+", " ").strip();
            } catch (IOException e) {
                return "(body unreadable: " + e.getMessage() + ")";
            }
        }
    }
}
