package io.podidentity.identity;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * Informers on the API server: ServiceAccounts in all namespaces, stored straight into the
 * {@link ServiceAccountStore} (no second copy), and optionally the {@code pod-identity-webhook}
 * ConfigMap of one namespace. Both retry forever; readiness follows their first sync.
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
    private final List<BooleanSupplier> synced = new ArrayList<>();

    /**
     * Starts the informers; returns at once (see {@link #hasSynced()}).
     *
     * @param configMapNamespace where the ConfigMap is watched, or {@code null} for no ConfigMap mode
     */
    public ClusterInformers(KubernetesClient client, ServiceAccountStore store, ConfigMapIdentities configMap,
            String configMapNamespace, long resyncMillis) {
        this(client, store, configMap, configMapNamespace, resyncMillis, LIST_PAGE);
    }

    /** As above, listing in pages of {@code listPage} (tests page a few hundred). */
    ClusterInformers(KubernetesClient client, ServiceAccountStore store, ConfigMapIdentities configMap,
            String configMapNamespace, long resyncMillis, long listPage) {
        LOG.infof("watching ServiceAccounts in all namespaces on %s", client.getMasterUrl());
        SharedIndexInformer<ServiceAccount> serviceAccounts = client.serviceAccounts()
                .inAnyNamespace()
                .withLimit(listPage)
                .runnableInformer(resyncMillis);
        serviceAccounts.removeNamespaceIndex();
        serviceAccounts.itemStore(store);
        start(serviceAccounts, "ServiceAccount", () -> store.size() + " ServiceAccounts");
        if (configMapNamespace != null) {
            LOG.infof("watching ConfigMap %s in namespace %s", ConfigMapIdentities.NAME, configMapNamespace);
            SharedIndexInformer<ConfigMap> configMaps = client.configMaps()
                    .inNamespace(configMapNamespace)
                    .withName(ConfigMapIdentities.NAME)
                    .runnableInformer(resyncMillis);
            configMaps.addEventHandler(new ConfigMapHandler(configMap, configMapNamespace));
            start(configMaps, "ConfigMap", () -> configMap.size() + " ConfigMap entries");
        }
    }

    private void start(SharedIndexInformer<?> informer, String what, java.util.function.Supplier<String> content) {
        informer.exceptionHandler((started, t) -> {
            LOG.warnf("%s informer: %s; retrying", what, t.getMessage());
            return true;
        });
        informers.add(informer);
        synced.add(informer::hasSynced);
        informer.start().whenComplete((v, e) -> {
            if (e == null) {
                LOG.infof("%s informer synced: %s", what, content.get());
            }
        });
    }

    /** True once every informer completed its first list. */
    public boolean hasSynced() {
        return synced.stream().allMatch(BooleanSupplier::getAsBoolean);
    }

    @Override
    public void close() {
        informers.forEach(SharedIndexInformer::stop);
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
