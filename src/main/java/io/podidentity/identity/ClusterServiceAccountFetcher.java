package io.podidentity.identity;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Direct GETs of ServiceAccounts the informer has not delivered yet: at most 10 per second with
 * bursts of 20 (further requests queue), one in flight per ServiceAccount, each with a 1 s request
 * timeout.
 */
public final class ClusterServiceAccountFetcher implements ServiceAccountFetcher {

    private static final Logger LOG = Logger.getLogger(ClusterServiceAccountFetcher.class);
    static final int REQUEST_TIMEOUT_MILLIS = 1000;

    private final KubernetesClient client;
    private final ServiceAccountStore store;
    private final ScheduledExecutorService executor;
    private final TokenBucket bucket = new TokenBucket(10, 20, System.nanoTime());
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

    /**
     * @param client the informer's client: the GETs share its HTTP client, connections and TLS
     *     context (a second client would build its own, with the client key's PKCS#12 keystore),
     *     with their own request timeout
     */
    public ClusterServiceAccountFetcher(KubernetesClient client, ServiceAccountStore store, ScheduledExecutorService executor) {
        this.client = client.newClient(new RequestConfigBuilder(client.getConfiguration().getRequestConfig())
                        .withRequestTimeout(REQUEST_TIMEOUT_MILLIS)
                        .build())
                .adapt(KubernetesClient.class);
        this.store = store;
        this.executor = executor;
    }

    /**
     * Opens the connection and loads the client's classes before the first real GET, which
     * would otherwise spend much of its 1 s timeout on a cold JVM.
     */
    public void warmUp(String namespace) {
        try {
            executor.execute(() -> {
                try {
                    client.serviceAccounts().inNamespace(namespace).withName("pod-identity-webhook-warm-up").get();
                } catch (RuntimeException e) {
                    LOG.debugf("warm-up GET: %s", e.getMessage());
                }
            });
        } catch (RejectedExecutionException e) {
            // Shut down before the warm-up was due: there is nothing to warm.
        }
    }

    @Override
    public void request(String namespace, String name) {
        String key = ServiceAccountStore.key(namespace, name);
        if (!inFlight.add(key)) {
            return;
        }
        long delay = bucket.reserve(System.nanoTime());
        executor.schedule(() -> fetch(namespace, name, key), delay, TimeUnit.NANOSECONDS);
    }

    private void fetch(String namespace, String name, String key) {
        try {
            if (store.get(namespace, name) != null) {
                return; // the informer was faster
            }
            ServiceAccount sa = client.serviceAccounts().inNamespace(namespace).withName(name).get();
            if (sa == null) {
                LOG.debugf("direct GET of ServiceAccount %s: not found", key);
                return;
            }
            store.storeIfAbsent(namespace, name, sa.getMetadata().getResourceVersion(), sa.getMetadata().getAnnotations());
            LOG.debugf("direct GET of ServiceAccount %s: found", key);
        } catch (RuntimeException e) {
            LOG.warnf("direct GET of ServiceAccount %s failed: %s", key, e.getMessage());
        } finally {
            inFlight.remove(key);
        }
    }
}
