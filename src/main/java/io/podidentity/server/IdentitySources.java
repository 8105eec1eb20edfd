package io.podidentity.server;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import io.podidentity.config.Flag;
import io.podidentity.config.WebhookConfig;
import io.podidentity.health.Readiness;
import io.podidentity.identity.ClusterInformers;
import io.podidentity.identity.ClusterServiceAccountFetcher;
import io.podidentity.identity.ConfigMapIdentities;
import io.podidentity.identity.ContainerCredentialsIdentities;
import io.podidentity.identity.ObjectsFile;
import io.podidentity.identity.ServiceAccountFetcher;
import io.podidentity.identity.ServiceAccountPrefetch;
import io.podidentity.identity.ServiceAccountReader;
import io.podidentity.identity.ServiceAccountStore;
import io.podidentity.identity.WatchedFile;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Feeds the identity caches: either the standalone objects file, or informers on the API server
 * (ServiceAccounts cluster-wide, the ConfigMap in {@code --namespace}); plus the
 * container-credentials file. Registers what readiness waits for. The informers start as soon as
 * this bean is built, which the {@code /mutate} route needs before the server listens; the files
 * are read at the {@link StartupEvent}.
 */
@Singleton
public class IdentitySources {

    private static final Logger LOG = Logger.getLogger(IdentitySources.class);
    private static final Duration FILE_POLL = Duration.ofSeconds(2);
    /**
     * How long after the boot the work that the first admissions do not need waits, when the early
     * list has filled the store: the informer's second list of every ServiceAccount and the direct
     * GETs' warm-up connection. At the boot's end they took the two cores from the first TLS
     * handshakes and admissions. Until then the store holds the early list as read: a
     * ServiceAccount changed in the meantime is seen at the relist, and one created in the
     * meantime is fetched directly when a pod names it.
     */
    static final Duration AFTER_BOOT = Duration.ofSeconds(1);
    /**
     * The early list, from the entry point to this bean, which takes it once: Main starts it before
     * Quarkus exists, and Quarkus's command line carries strings only (StartupPathTest allows this
     * one holder).
     */
    private static final AtomicReference<ServiceAccountPrefetch> PREFETCH = new AtomicReference<>();

    private final WebhookConfig config;
    private final ServiceAccountStore store;
    private final ConfigMapIdentities configMap;
    private final ContainerCredentialsIdentities containerCredentials;
    private final Readiness readiness;
    private final List<AutoCloseable> running = new ArrayList<>();
    private KubernetesClient client;
    /**
     * The client's task executor: one thread. The informers hand it every notification, even when
     * nothing listens (the ServiceAccount informer has no listener: it fills the store directly);
     * on the client's default cached pool each of those was a handoff between threads, 2,002 of
     * them for the first list, on four threads competing with the list itself for the two cores.
     */
    private ExecutorService clientTasks;
    private ServiceAccountFetcher fetcher = ServiceAccountFetcher.NONE;
    /**
     * Completed {@link #AFTER_BOOT} after the {@link StartupEvent}: the informer's own list after
     * the early one, and the direct GETs' warm-up, wait for it.
     */
    private final CompletableFuture<Void> settled = new CompletableFuture<>();

    public IdentitySources(
            WebhookConfig config,
            ServiceAccountStore store,
            ConfigMapIdentities configMap,
            ContainerCredentialsIdentities containerCredentials,
            Readiness readiness,
            Vertx vertx) {
        this.config = config;
        this.store = store;
        this.configMap = configMap;
        this.containerCredentials = containerCredentials;
        this.readiness = readiness;
        if (!config.standalone()) {
            ServiceAccountPrefetch prefetch = PREFETCH.getAndSet(null);
            Config cluster = prefetch == null ? clusterConfig(config) : prefetch.cluster();
            clientTasks = Executors.newSingleThreadExecutor(daemon("kubernetes-client"));
            client = new KubernetesClientBuilder()
                    .withConfig(cluster)
                    // Quarkus's own Vert.x: its event loops, no second Vert.x for the client.
                    .withHttpClientFactory(new VertxHttpClientFactory(vertx))
                    .withTaskExecutor(clientTasks)
                    .withKubernetesSerialization(ServiceAccountReader.serialization(config.string(Flag.ANNOTATION_PREFIX)))
                    .build();
            ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(daemon("serviceaccount-get"));
            ClusterServiceAccountFetcher direct = new ClusterServiceAccountFetcher(client, store, executor);
            fetcher = direct;
            running.add(executor::shutdownNow);
            // The informers start here, while the HTTP server is still being set up (this bean is
            // built for the /mutate route, before the server listens), not at the StartupEvent that
            // follows the server's start: readiness and the first mutated answer wait for the first
            // list. With the early list, the ServiceAccount informer lists again AFTER_BOOT later.
            startInformers(prefetch);
            settled.thenRun(() -> direct.warmUp(config.string(Flag.NAMESPACE)));
        }
    }

    /** One daemon thread named {@code name}: none of these threads keeps the process alive. */
    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    ServiceAccountFetcher fetcher() {
        return fetcher;
    }

    void start(@Observes StartupEvent event) {
        CompletableFuture.delayedExecutor(AFTER_BOOT.toMillis(), TimeUnit.MILLISECONDS).execute(() -> settled.complete(null));
        config.optional(Flag.WATCH_CONTAINER_CREDENTIALS_CONFIG).ifPresent(path -> running.add(new WatchedFile(
                        "container credentials config", Path.of(path), containerCredentials::load, FILE_POLL)
                .start()));
        if (config.standalone()) {
            startStandalone(Path.of(config.string(Flag.OBJECTS_FILE)));
        }
    }

    private void startStandalone(Path file) {
        AtomicBoolean loaded = new AtomicBoolean();
        readiness.require("objects file", loaded::get);
        running.add(new WatchedFile("objects file", file, content -> {
                    if (content == null) {
                        throw new IllegalArgumentException("the file does not exist");
                    }
                    ObjectsFile objects = ObjectsFile.parse(content, config.string(Flag.ANNOTATION_PREFIX),
                            config.string(Flag.NAMESPACE));
                    boolean watchConfigMap = config.bool(Flag.WATCH_CONFIG_MAP);
                    if (objects.configMapConfig() != null && watchConfigMap) {
                        configMap.update(objects.configMapConfig());
                    } else if (watchConfigMap) {
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

    /**
     * Starts the first ServiceAccount list on its own thread, before the server boots: the process's
     * entry point calls this once the settings are resolved, before it checks them. The informers,
     * built with this bean, start from what it listed. Not called, as in the tests that start the
     * server alone, the informer's list is the first.
     */
    public static void prefetchServiceAccounts(WebhookConfig config) {
        if (!config.standalone()) {
            PREFETCH.set(ServiceAccountPrefetch.start(() -> clusterConfig(config), config.string(Flag.ANNOTATION_PREFIX)));
        }
    }

    private void startInformers(ServiceAccountPrefetch prefetch) {
        ClusterInformers.EarlyList early = null;
        if (prefetch != null) {
            CompletableFuture<List<ServiceAccount>> listed = prefetch.listed().whenComplete((accounts, failure) -> {
                if (failure == null) {
                    LOG.infof("early ServiceAccount list: %d in %d ms, read while the server boots; the informer lists them again"
                            + " a second after the boot, and watches",
                            accounts.size(), prefetch.took().toMillis());
                } else {
                    LOG.infof("the early ServiceAccount list failed (%s); the informer's list is the first",
                            failure.toString());
                }
            });
            early = new ClusterInformers.EarlyList(listed, settled);
        }
        ClusterInformers informers = new ClusterInformers(client, store, configMap,
                config.bool(Flag.WATCH_CONFIG_MAP) ? config.string(Flag.NAMESPACE) : null,
                config.duration(Flag.RESYNC_PERIOD).toMillis(), early);
        readiness.require("informer sync", informers::hasSynced);
        running.add(informers);
    }

    /** Upstream's rule: the kubeconfig file if given, the {@code --kube-api} URL over its server. */
    private static Config clusterConfig(WebhookConfig config) {
        Config base;
        if (config.optional(Flag.KUBECONFIG).isPresent()) {
            Path path = Path.of(config.string(Flag.KUBECONFIG));
            try {
                base = Config.fromKubeconfig(null, Files.readString(path), path.toString());
            } catch (IOException e) {
                throw new UncheckedIOException("--kubeconfig " + path + " cannot be read", e);
            }
        } else {
            base = Config.autoConfigure(null);
        }
        config.optional(Flag.KUBE_API).ifPresent(base::setMasterUrl);
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
        if (clientTasks != null) {
            clientTasks.shutdownNow();
        }
    }
}
