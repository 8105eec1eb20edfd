package io.podidentity.server;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.podidentity.config.GoDuration;
import io.podidentity.config.WebhookConfig;
import io.podidentity.health.Readiness;
import io.podidentity.identity.ClusterServiceAccountFetcher;
import io.podidentity.identity.ConfigMapIdentities;
import io.podidentity.identity.ContainerCredentialsIdentities;
import io.podidentity.identity.ObjectsFile;
import io.podidentity.identity.ServiceAccountFetcher;
import io.podidentity.identity.ServiceAccountStore;
import io.podidentity.identity.WatchedFile;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Feeds the identity caches: either the standalone objects file, or informers on the API server
 * (ServiceAccounts cluster-wide, the ConfigMap in {@code --namespace}); plus the
 * container-credentials file. Registers what readiness waits for.
 */
@Singleton
public class IdentitySources {

    private static final Logger LOG = Logger.getLogger(IdentitySources.class);
    private static final Duration FILE_POLL = Duration.ofSeconds(2);

    private final WebhookConfig config;
    private final ServiceAccountStore store;
    private final ConfigMapIdentities configMap;
    private final ContainerCredentialsIdentities containerCredentials;
    private final Readiness readiness;
    private final List<AutoCloseable> running = new ArrayList<>();
    private KubernetesClient client;
    private ServiceAccountFetcher fetcher = ServiceAccountFetcher.NONE;

    public IdentitySources(
            WebhookConfig config,
            ServiceAccountStore store,
            ConfigMapIdentities configMap,
            ContainerCredentialsIdentities containerCredentials,
            Readiness readiness) {
        this.config = config;
        this.store = store;
        this.configMap = configMap;
        this.containerCredentials = containerCredentials;
        this.readiness = readiness;
        if (config.objectsFile().isEmpty()) {
            client = new KubernetesClientBuilder().withConfig(clusterConfig()).build();
            ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "serviceaccount-get");
                t.setDaemon(true);
                return t;
            });
            KubernetesClient getClient = new KubernetesClientBuilder()
                    .withConfig(new ConfigBuilder(clusterConfig()).withRequestTimeout(1000).build())
                    .build();
            fetcher = new ClusterServiceAccountFetcher(getClient, store, executor);
            running.add(getClient);
            running.add(executor::shutdownNow);
        }
    }

    ServiceAccountFetcher fetcher() {
        return fetcher;
    }

    void start(@Observes StartupEvent event) {
        config.watchContainerCredentialsConfig().ifPresent(path -> running.add(new WatchedFile(
                        "container credentials config", Path.of(path), containerCredentials::load, FILE_POLL)
                .start()));
        if (config.objectsFile().isPresent()) {
            startStandalone(Path.of(config.objectsFile().get()));
        } else {
            startInformers();
        }
    }

    private void startStandalone(Path file) {
        AtomicBoolean loaded = new AtomicBoolean();
        readiness.require("objects file", loaded::get);
        running.add(new WatchedFile("objects file", file, content -> {
                    if (content == null) {
                        throw new IllegalArgumentException("the file does not exist");
                    }
                    ObjectsFile objects = ObjectsFile.parse(content, config.annotationPrefix(), config.namespace());
                    if (objects.configMapConfig() != null && config.watchConfigMap()) {
                        configMap.update(objects.configMapConfig());
                    } else if (config.watchConfigMap()) {
                        configMap.clear();
                    }
                    store.replaceAll(objects.serviceAccounts());
                    loaded.set(true);
                    LOG.infof("standalone mode: %d ServiceAccounts, %d ConfigMap entries from %s%s",
                            objects.serviceAccounts().size(), configMap.size(), file,
                            objects.ignoredKinds().isEmpty() ? "" : " (ignored kinds: " + objects.ignoredKinds() + ")");
                }, FILE_POLL)
                .start());
    }

    private void startInformers() {
        long resync = GoDuration.parse(config.resyncPeriod()).toMillis();
        LOG.infof("watching ServiceAccounts in all namespaces on %s", client.getMasterUrl());
        SharedIndexInformer<ServiceAccount> serviceAccounts = client.serviceAccounts()
                .inAnyNamespace()
                .withLimit(500L)
                .runnableInformer(resync);
        serviceAccounts.removeNamespaceIndex();
        serviceAccounts.itemStore(store);
        serviceAccounts.exceptionHandler((started, t) -> {
            LOG.warnf("ServiceAccount informer: %s; retrying", t.getMessage());
            return true;
        });
        readiness.require("ServiceAccount informer sync", serviceAccounts::hasSynced);
        running.add(serviceAccounts);
        serviceAccounts.start().whenComplete((v, e) -> {
            if (e == null) {
                LOG.infof("ServiceAccount informer synced: %d ServiceAccounts", store.size());
            }
        });
        if (config.watchConfigMap()) {
            LOG.infof("watching ConfigMap %s in namespace %s", ConfigMapIdentities.NAME, config.namespace());
            SharedIndexInformer<ConfigMap> configMaps = client.configMaps()
                    .inNamespace(config.namespace())
                    .withName(ConfigMapIdentities.NAME)
                    .runnableInformer(resync);
            configMaps.addEventHandler(new ConfigMapHandler());
            configMaps.exceptionHandler((started, t) -> {
                LOG.warnf("ConfigMap informer: %s; retrying", t.getMessage());
                return true;
            });
            readiness.require("ConfigMap informer sync", configMaps::hasSynced);
            running.add(configMaps);
            configMaps.start();
        }
    }

    /** Applies the ConfigMap's {@code config}; invalid content keeps the previous entries. */
    private final class ConfigMapHandler implements ResourceEventHandler<ConfigMap> {
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
            LOG.infof("ConfigMap %s/%s deleted: its entries are gone", config.namespace(), ConfigMapIdentities.NAME);
        }

        private void apply(ConfigMap cm) {
            String value = cm.getData() == null ? null : cm.getData().get(ConfigMapIdentities.KEY);
            try {
                configMap.update(value);
                LOG.infof("ConfigMap %s/%s: %d entries", config.namespace(), ConfigMapIdentities.NAME, configMap.size());
            } catch (IllegalArgumentException e) {
                LOG.errorf("ConfigMap %s/%s rejected, keeping the previous %d entries: %s",
                        config.namespace(), ConfigMapIdentities.NAME, configMap.size(), e.getMessage());
            }
        }
    }

    /** Upstream's rule: the kubeconfig file if given, the {@code --kube-api} URL over its server. */
    private Config clusterConfig() {
        Config base;
        if (config.kubeconfig().isPresent() && !config.kubeconfig().get().isEmpty()) {
            Path path = Path.of(config.kubeconfig().get());
            try {
                base = Config.fromKubeconfig(null, Files.readString(path), path.toString());
            } catch (IOException e) {
                throw new UncheckedIOException("--kubeconfig " + path + " cannot be read", e);
            }
        } else {
            base = Config.autoConfigure(null);
        }
        config.kubeApi().filter(url -> !url.isEmpty()).ifPresent(base::setMasterUrl);
        return base;
    }

    void stop(@Observes ShutdownEvent event) {
        for (AutoCloseable closeable : running) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.debugf("stopping %s: %s", closeable, e.getMessage());
            }
        }
        if (client != null) {
            client.close();
        }
    }
}
