package io.podidentity.identity;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * Informers on the API server: ServiceAccounts in all namespaces, stored straight into the
 * {@link ServiceAccountStore} (no second copy), and optionally the {@code pod-identity-webhook}
 * ConfigMap of one namespace. Both retry forever; readiness follows their first sync, or, for the
 * ServiceAccounts, the early list ({@link EarlyList}). Once ready on the early list, the webhook
 * stays ready if the informer's own list then fails and retries: it serves what the early list
 * read, as a synced informer serves its cache when the API server goes away.
 */
public final class ClusterInformers implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ClusterInformers.class);
    /**
     * Page size of the initial list. Pages bound what one response holds: large clusters have 10^5
     * ServiceAccounts, about 1 KB each as Helm and kubectl leave them. Each page is a round trip
     * to etcd, and at startup readiness waits for the last one: 2,001 ServiceAccounts took five
     * pages of 500 and about 80 ms of the native start (bench/RESULTS.md). client-go (the Go
     * webhook) asks for {@code resourceVersion=0}, for which the API server ignores the limit
     * and answers every ServiceAccount at once.
     */
    private static final long LIST_PAGE = 5000;

    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    /** Filled by the constructor only. */
    private final List<BooleanSupplier> synced = new ArrayList<>();
    private volatile boolean listedEarly;
    private boolean closed;

    /**
     * ServiceAccounts listed before the Kubernetes client existed ({@link ServiceAccountPrefetch}),
     * and what the informer's own list waits for after they are stored: a moment after the server's
     * boot, which a second list of every ServiceAccount would otherwise slow down on a small node.
     */
    public record EarlyList(CompletionStage<List<ServiceAccount>> accounts, CompletionStage<?> relistAfter) {}

    /**
     * Starts the informers; returns at once (see {@link #hasSynced()}).
     *
     * @param configMapNamespace where the ConfigMap is watched, or {@code null} for no ConfigMap mode
     * @param early the early list, or {@code null}. Its ServiceAccounts are stored as soon as they
     *     arrive, which is enough to serve; the ServiceAccount informer then lists again once
     *     {@code relistAfter} completes, and reconciles what changed in between. If the early list
     *     failed, the informer lists at once
     */
    public ClusterInformers(KubernetesClient client, ServiceAccountStore store, ConfigMapIdentities configMap,
            String configMapNamespace, long resyncMillis, EarlyList early) {
        this(client, store, configMap, configMapNamespace, resyncMillis, LIST_PAGE, early);
    }

    /** As above, listing in pages of {@code listPage} (tests page a few hundred). */
    ClusterInformers(KubernetesClient client, ServiceAccountStore store, ConfigMapIdentities configMap,
            String configMapNamespace, long resyncMillis, long listPage, EarlyList early) {
        LOG.infof("watching ServiceAccounts in all namespaces on %s", client.getMasterUrl());
        SharedIndexInformer<ServiceAccount> serviceAccounts = client.serviceAccounts()
                .inAnyNamespace()
                .withLimit(listPage)
                .runnableInformer(resyncMillis);
        serviceAccounts.removeNamespaceIndex();
        serviceAccounts.itemStore(store);
        synced.add(() -> listedEarly || serviceAccounts.hasSynced());
        Runnable startServiceAccounts = () -> start(serviceAccounts, "ServiceAccount", () -> store.size() + " ServiceAccounts");
        if (early == null) {
            startServiceAccounts.run();
        } else {
            // One writer at a time: the informer's list begins only after the early one is stored.
            early.accounts().whenComplete((accounts, failure) -> {
                if (failure != null) {
                    startServiceAccounts.run();
                    return;
                }
                accounts.forEach(sa -> store.put(store.getKey(sa), sa));
                listedEarly = true;
                early.relistAfter().whenComplete((done, e) -> startServiceAccounts.run());
            });
        }
        if (configMapNamespace != null) {
            LOG.infof("watching ConfigMap %s in namespace %s", ConfigMapIdentities.NAME, configMapNamespace);
            SharedIndexInformer<ConfigMap> configMaps = client.configMaps()
                    .inNamespace(configMapNamespace)
                    .withName(ConfigMapIdentities.NAME)
                    .runnableInformer(resyncMillis);
            configMaps.addEventHandler(new ConfigMapHandler(configMap, configMapNamespace));
            synced.add(configMaps::hasSynced);
            start(configMaps, "ConfigMap", () -> configMap.size() + " ConfigMap entries");
        }
    }

    private void start(SharedIndexInformer<?> informer, String what, java.util.function.Supplier<String> content) {
        informer.exceptionHandler((started, t) -> {
            LOG.warnf("%s informer: %s; retrying", what, t.getMessage());
            return true;
        });
        synchronized (informers) {
            if (closed) {
                return;
            }
            informers.add(informer);
        }
        informer.start().whenComplete((v, e) -> {
            if (e == null) {
                LOG.infof("%s informer synced: %s", what, content.get());
            }
        });
    }

    /** True once every informer completed its first list, or the ServiceAccounts were stored from the early one. */
    public boolean hasSynced() {
        return synced.stream().allMatch(BooleanSupplier::getAsBoolean);
    }

    @Override
    public void close() {
        synchronized (informers) {
            closed = true;
            informers.forEach(SharedIndexInformer::stop);
        }
    }

    /** Applies the ConfigMap's {@code config}; invalid content keeps the previous entries. */
    static final class ConfigMapHandler implements ResourceEventHandler<ConfigMap> {

        private final ConfigMapIdentities configMap;
        private final String namespace;

        ConfigMapHandler(ConfigMapIdentities configMap, String namespace) {
            this.configMap = configMap;
            this.namespace = namespace;
        }

        @Override
        public void onAdd(ConfigMap cm) {
            apply(cm);
        }

        @Override
        public void onUpdate(ConfigMap old, ConfigMap cm) {
            apply(cm);
        }

        @Override
        public void onDelete(ConfigMap cm, boolean finalStateUnknown) {
            configMap.clear();
            LOG.infof("ConfigMap %s/%s deleted: its entries are gone", namespace, ConfigMapIdentities.NAME);
        }

        private void apply(ConfigMap cm) {
            String value = cm.getData() == null ? null : cm.getData().get(ConfigMapIdentities.KEY);
            try {
                configMap.update(value);
                LOG.infof("ConfigMap %s/%s: %d entries", namespace, ConfigMapIdentities.NAME, configMap.size());
            } catch (IllegalArgumentException e) {
                LOG.errorf("ConfigMap %s/%s rejected, keeping the previous %d entries: %s",
                        namespace, ConfigMapIdentities.NAME, configMap.size(), e.getMessage());
            }
        }
    }
}
