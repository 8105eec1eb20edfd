package io.podidentity.identity;

import static io.podidentity.identity.TestAnnotations.PREFIX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.podidentity.identity.Resolution.Outcome;
import io.podidentity.mutation.Identity;
import io.podidentity.testing.Waiting;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link ClusterInformers} against the fabric8 mock API server (CRUD mode, with paging added). */
class ClusterInformersTest {

    private static final String WEBHOOK_NAMESPACE = "eks";
    private static final String ROLE_A = "arn:aws:iam::111122223333:role/a";
    private static final String ROLE_B = "arn:aws:iam::111122223333:role/b";
    private static final IdentityDefaults DEFAULTS =
            new IdentityDefaults("sts.amazonaws.com", false, 86_400, RoleArns.plain());

    private MockApiServer api;
    private KubernetesClient client;
    private ServiceAccountStore store;
    private ConfigMapIdentities configMap;
    private ClusterInformers informers;
    private final LogCapture log = new LogCapture();

    @BeforeEach
    void startServer() {
        api = new MockApiServer();
        client = api.client();
        store = new ServiceAccountStore(PREFIX);
        configMap = new ConfigMapIdentities(DEFAULTS);
        Logger.getLogger(ClusterInformers.class.getName()).addHandler(log);
    }

    @AfterEach
    void stopEverything() {
        Logger.getLogger(ClusterInformers.class.getName()).removeHandler(log);
        if (informers != null) {
            informers.close();
        }
        api.close();
    }

    // --- ServiceAccounts ------------------------------------------------------------------------

    @Test
    void initialListStoresServiceAccountsOfEveryNamespaceBeforeReportingSynced() {
        api.createServiceAccount("team-a", "app", Map.of(PREFIX + "/role-arn", ROLE_A));
        api.createServiceAccount("team-b", "app", Map.of());
        api.createServiceAccount("kube-system", "default", null);

        startInformers(null);

        // No polling: once synced, the initial list must already be in the store.
        assertEquals(3, store.size());
        assertEquals(ROLE_A, store.get("team-a", "app").annotation("role-arn"));
        assertNotNull(store.get("team-b", "app"));
        assertNotNull(store.get("kube-system", "default"));
    }

    @Test
    void keepsOnlyAnnotationsUnderThePrefixAndNoLabels() {
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(PREFIX + "/role-arn", ROLE_A);
        annotations.put(PREFIX + "/token-expiration", "3600");
        annotations.put("example.com/owner", "team-a");
        annotations.put(PREFIX + "x/role-arn", ROLE_B);
        annotations.put("kubectl.kubernetes.io/last-applied-configuration", "{\"a\":\"large blob\"}");
        client.serviceAccounts().resource(new ServiceAccountBuilder()
                        .withNewMetadata()
                        .withNamespace("team-a")
                        .withName("app")
                        .withAnnotations(annotations)
                        .withLabels(Map.of("app", "web"))
                        .endMetadata()
                        .build())
                .create();

        startInformers(null);

        CachedServiceAccount cached = store.get("team-a", "app");
        assertEquals(ROLE_A, cached.annotation("role-arn"));
        assertEquals("3600", cached.annotation("token-expiration"));
        assertNotNull(cached.resourceVersion());
        assertEquals(
                Map.of(PREFIX + "/role-arn", ROLE_A, PREFIX + "/token-expiration", "3600"),
                store.snapshot().get("team-a/app"));
        ServiceAccount informerView = store.get("team-a/app");
        assertEquals(Map.of(PREFIX + "/role-arn", ROLE_A, PREFIX + "/token-expiration", "3600"),
                informerView.getMetadata().getAnnotations());
        assertTrue(informerView.getMetadata().getLabels() == null || informerView.getMetadata().getLabels().isEmpty(),
                "labels are not kept: " + informerView.getMetadata().getLabels());
    }

    @Test
    void serviceAccountCreatedAfterSyncArrives() {
        startInformers(null);
        assertNull(store.get("team-a", "late"));

        api.createServiceAccount("team-a", "late", Map.of(PREFIX + "/role-arn", ROLE_A));

        Waiting.until("team-a/late in the store", () -> store.get("team-a", "late") != null);
        assertEquals(ROLE_A, store.get("team-a", "late").annotation("role-arn"));
    }

    @Test
    void annotationChangeReplacesTheCachedValue() {
        api.createServiceAccount("team-a", "app", Map.of(PREFIX + "/role-arn", ROLE_A, PREFIX + "/audience", "old"));
        startInformers(null);
        assertEquals(ROLE_A, store.get("team-a", "app").annotation("role-arn"));

        client.serviceAccounts().inNamespace("team-a").withName("app").edit(sa -> new ServiceAccountBuilder(sa)
                .editMetadata()
                .withAnnotations(Map.of(PREFIX + "/role-arn", ROLE_B))
                .endMetadata()
                .build());

        Waiting.until("the new role of team-a/app in the cache",
                () -> ROLE_B.equals(store.get("team-a", "app").annotation("role-arn")));
        assertNull(store.get("team-a", "app").annotation("audience"), "a removed annotation is gone from the cache");
    }

    @Test
    void deletedServiceAccountLeavesTheStore() {
        api.createServiceAccount("team-a", "app", Map.of(PREFIX + "/role-arn", ROLE_A));
        api.createServiceAccount("team-a", "stays", Map.of());
        startInformers(null);
        assertNotNull(store.get("team-a", "app"));

        client.serviceAccounts().inNamespace("team-a").withName("app").delete();

        Waiting.until("team-a/app to leave the store", () -> store.get("team-a", "app") == null);
        assertNotNull(store.get("team-a", "stays"));
        assertEquals(1, store.size());
    }

    @Test
    void waiterCompletesWhenTheInformerDeliversTheServiceAccount() throws Exception {
        startInformers(null);
        CompletableFuture<CachedServiceAccount> waiter =
                store.awaitArrival("team-a", "new", Waiting.DEADLINE.plusSeconds(5));
        assertFalse(waiter.isDone());

        api.createServiceAccount("team-a", "new", Map.of(PREFIX + "/role-arn", ROLE_A));

        CachedServiceAccount arrived = waiter.get(Waiting.DEADLINE.toSeconds(), TimeUnit.SECONDS);
        assertNotNull(arrived, "the waiter timed out instead of seeing the informer's delivery");
        assertEquals(ROLE_A, arrived.annotation("role-arn"));
    }

    @Test
    void listsInPagesAndStoresEveryPage() {
        int count = 1_200;
        IntStream.range(0, count).parallel().forEach(i -> api.createServiceAccount("ns-" + (i % 3), "sa-" + i, Map.of()));

        informers = new ClusterInformers(client, store, configMap, null, 0, 500, null);
        Waiting.until("the informers to sync", informers::hasSynced);

        assertEquals(count, store.size(), "every ServiceAccount of every page is stored once synced");
        List<MockApiServer.Request> lists = listRequests();
        assertEquals(List.of("500", "500", "500"), lists.stream().map(r -> r.query("limit")).toList(), paths(lists));
        assertEquals(Arrays.asList(null, "500", "1000"), lists.stream().map(r -> r.query("continue")).toList());
        assertEquals(List.of(500, 500, 200), lists.stream().map(MockApiServer.Request::items).toList());
    }

    @Test
    void listsInPagesOf5000() {
        api.createServiceAccount("team-a", "app", Map.of());

        startInformers(null);

        // One round trip for up to 5,000 ServiceAccounts: readiness waits for the last page.
        assertEquals(List.of("5000"), listRequests().stream().map(r -> r.query("limit")).toList());
    }

    // --- The early list ---------------------------------------------------------------------------

    @Test
    void earlyListMakesItSyncedAndTheInformerListsAgainOnceBootedThenRemovesTheDeleted() throws Exception {
        api.createServiceAccount("team-a", "app", Map.of(PREFIX + "/role-arn", ROLE_A));
        api.createServiceAccount("team-a", "deleted-since", Map.of(PREFIX + "/role-arn", ROLE_B));
        List<ServiceAccount> early = ServiceAccountPrefetch.start(client::getConfiguration, PREFIX).listed()
                .get(Waiting.DEADLINE.toSeconds(), TimeUnit.SECONDS);
        client.serviceAccounts().inNamespace("team-a").withName("deleted-since").delete();
        api.createServiceAccount("team-b", "created-since", Map.of());
        CompletableFuture<List<ServiceAccount>> prefetched = new CompletableFuture<>();
        CompletableFuture<Void> booted = new CompletableFuture<>();

        informers = new ClusterInformers(client, store, configMap, null, 0, new ClusterInformers.EarlyList(prefetched, booted));
        Thread.sleep(200);
        assertEquals(List.of(), listRequests(), "the informer does not list while the early list is on its way");
        assertFalse(informers.hasSynced());

        prefetched.complete(early);
        assertTrue(informers.hasSynced(), "the early list, once stored, is enough to serve");
        assertEquals(ROLE_A, store.get("team-a", "app").annotation("role-arn"));
        assertNotNull(store.get("team-a", "deleted-since"), "as listed early");
        Thread.sleep(200);
        assertEquals(List.of(), listRequests(), "the informer lists again only once relistAfter completes");

        booted.complete(null);
        Waiting.until("the informer's own list to reconcile the store",
                () -> store.get("team-a", "deleted-since") == null && store.get("team-b", "created-since") != null);
        assertEquals(1, listRequests().size(), paths(listRequests()));
        assertEquals(ROLE_A, store.get("team-a", "app").annotation("role-arn"));
        api.awaitOpenWatches(1, path -> true);
        api.createServiceAccount("team-c", "watched", Map.of());
        Waiting.until("team-c/watched from the watch", () -> store.get("team-c", "watched") != null);
    }

    @Test
    void aFailedEarlyListLeavesTheFirstListToTheInformerWithoutWaitingForTheBoot() {
        api.createServiceAccount("team-a", "app", Map.of(PREFIX + "/role-arn", ROLE_A));

        informers = new ClusterInformers(client, store, configMap, null, 0, new ClusterInformers.EarlyList(
                CompletableFuture.failedFuture(new java.io.IOException("GET answered 403")), new CompletableFuture<>()));

        Waiting.until("the informers to sync", informers::hasSynced);
        assertEquals(ROLE_A, store.get("team-a", "app").annotation("role-arn"));
        assertEquals(1, listRequests().size(), paths(listRequests()));
    }

    @Test
    void closedBeforeTheEarlyListArrivesTheInformerNeverStarts() throws Exception {
        CompletableFuture<List<ServiceAccount>> prefetched = new CompletableFuture<>();
        informers = new ClusterInformers(client, store, configMap, null, 0,
                new ClusterInformers.EarlyList(prefetched, CompletableFuture.completedFuture(null)));

        informers.close();
        prefetched.complete(List.of());
        Thread.sleep(200);

        assertEquals(List.of(), listRequests());
    }

    /** The informer's lists (not the early list's). */
    private List<MockApiServer.Request> listRequests() {
        return api.requests("GET", path -> path.startsWith("/api/v1/serviceaccounts?") && !path.contains("watch=true")
                && !path.equals(ServiceAccountPrefetch.PATH));
    }

    // --- ConfigMap ------------------------------------------------------------------------------

    @Test
    void configMapEntriesBecomeIdentities() throws Exception {
        createConfigMap(WEBHOOK_NAMESPACE, ConfigMapIdentities.NAME, """
                {"team-a/app": {"RoleARN": "%s", "Audience": "custom", "UseRegionalSTS": true, "TokenExpiration": 3600},
                 "*/shared": {"RoleARN": "%s"}}""".formatted(ROLE_A, ROLE_B));

        startInformers(WEBHOOK_NAMESPACE);

        Waiting.until("the ConfigMap's two entries to load", () -> configMap.size() == 2);
        assertEquals(
                Map.of("RoleARN", ROLE_A, "Audience", "custom", "UseRegionalSTS", true, "TokenExpiration", 3600L),
                configMap.snapshot().get("team-a/app"));
        IdentityResolver resolver = new IdentityResolver(store, configMap, new ContainerCredentialsIdentities(),
                DEFAULTS, Duration.ZERO, ServiceAccountFetcher.NONE);
        Resolution exact = resolver.resolve("team-a", "app").toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertEquals(Outcome.CONFIG_MAP_ROLE, exact.outcome());
        assertEquals(new Identity.WebIdentity(ROLE_A, "custom", true, 3600), exact.identity());
        Resolution wildcard = resolver.resolve("anywhere", "shared").toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertEquals(new Identity.WebIdentity(ROLE_B, "sts.amazonaws.com", false, 86_400), wildcard.identity());
    }

    @Test
    void configMapUpdateReplacesAllEntries() {
        createConfigMap(WEBHOOK_NAMESPACE, ConfigMapIdentities.NAME, """
                {"team-a/app": {"RoleARN": "%s"}, "team-a/removed": {"RoleARN": "%s"}}""".formatted(ROLE_A, ROLE_A));
        startInformers(WEBHOOK_NAMESPACE);
        Waiting.until("the first content to load", () -> configMap.snapshot().containsKey("team-a/removed"));

        updateConfigMap("""
                {"team-a/app": {"RoleARN": "%s"}, "team-a/added": {"RoleARN": "%s"}}""".formatted(ROLE_B, ROLE_B));

        Waiting.until("the updated content to load", () -> configMap.snapshot().containsKey("team-a/added"));
        assertEquals(List.of("team-a/added", "team-a/app"), List.copyOf(configMap.snapshot().keySet()));
        assertEquals(ROLE_B, configMap.snapshot().get("team-a/app").get("RoleARN"));
    }

    @Test
    void invalidConfigMapUpdateKeepsThePreviousEntriesAndIsLoggedAsError() {
        createConfigMap(WEBHOOK_NAMESPACE, ConfigMapIdentities.NAME, """
                {"team-a/app": {"RoleARN": "%s"}}""".formatted(ROLE_A));
        startInformers(WEBHOOK_NAMESPACE);
        Waiting.until("the valid content to load", () -> configMap.size() == 1);

        updateConfigMap("{\"team-a/app\": ");

        // The rejection changes nothing visible in the identities; its error log shows it happened.
        Waiting.until("the invalid content to be rejected", () -> log.contains(Level.SEVERE, "rejected"));
        assertEquals(Map.of("team-a/app", Map.of(
                        "RoleARN", ROLE_A, "Audience", "sts.amazonaws.com", "UseRegionalSTS", false, "TokenExpiration", 86_400L)),
                configMap.snapshot());
    }

    @Test
    void deletingTheConfigMapClearsItsEntries() {
        createConfigMap(WEBHOOK_NAMESPACE, ConfigMapIdentities.NAME, """
                {"team-a/app": {"RoleARN": "%s"}}""".formatted(ROLE_A));
        startInformers(WEBHOOK_NAMESPACE);
        Waiting.until("the content to load", () -> configMap.size() == 1);

        client.configMaps().inNamespace(WEBHOOK_NAMESPACE).withName(ConfigMapIdentities.NAME).delete();

        Waiting.until("the entries to go", () -> configMap.size() == 0);
    }

    @Test
    void configMapsWithAnotherNameOrInAnotherNamespaceAreIgnored() {
        String decoy = """
                {"decoy/app": {"RoleARN": "%s"}}""".formatted(ROLE_B);
        createConfigMap(WEBHOOK_NAMESPACE, "another-name", decoy);
        createConfigMap("another-namespace", ConfigMapIdentities.NAME, decoy);
        createConfigMap(WEBHOOK_NAMESPACE, ConfigMapIdentities.NAME, """
                {"team-a/app": {"RoleARN": "%s"}}""".formatted(ROLE_A));
        startInformers(WEBHOOK_NAMESPACE);
        Waiting.until("the webhook's ConfigMap to load", () -> configMap.size() == 1);

        // Were the decoys delivered, these would replace or clear the entries for good.
        client.configMaps().inNamespace(WEBHOOK_NAMESPACE).withName("another-name")
                .edit(cm -> new ConfigMapBuilder(cm).withData(Map.of(ConfigMapIdentities.KEY, "{}")).build());
        client.configMaps().inNamespace("another-namespace").withName(ConfigMapIdentities.NAME).delete();
        client.configMaps().inNamespace(WEBHOOK_NAMESPACE).withName("another-name").delete();
        // A barrier on the same watch that itself changes nothing: events before it have been handled.
        updateConfigMap("not json");
        Waiting.until("the barrier update to be handled", () -> log.contains(Level.SEVERE, "rejected"));

        assertEquals(List.of("team-a/app"), List.copyOf(configMap.snapshot().keySet()));
        // The informer's lists and watches (the test's own edits GET single objects, without a query).
        List<MockApiServer.Request> configMapRequests = api.requests("GET", path -> path.contains("/configmaps?"));
        assertFalse(configMapRequests.isEmpty());
        for (MockApiServer.Request request : configMapRequests) {
            assertTrue(request.path().startsWith("/api/v1/namespaces/" + WEBHOOK_NAMESPACE + "/configmaps?"), request.path());
            assertEquals("metadata.name=" + ConfigMapIdentities.NAME, request.query("fieldSelector"), request.path());
        }
    }

    @Test
    void withoutConfigMapModeNoConfigMapIsWatched() {
        createConfigMap(WEBHOOK_NAMESPACE, ConfigMapIdentities.NAME, """
                {"team-a/app": {"RoleARN": "%s"}}""".formatted(ROLE_A));

        startInformers(null);

        assertEquals(List.of(), api.requests("GET", path -> path.contains("/configmaps")));
        assertEquals(0, configMap.size());
    }

    // --- helpers --------------------------------------------------------------------------------

    private void startInformers(String configMapNamespace) {
        informers = new ClusterInformers(client, store, configMap, configMapNamespace, 0, null);
        Waiting.until("the informers to sync", informers::hasSynced);
        api.awaitOpenWatches(configMapNamespace == null ? 1 : 2, path -> true);
    }

    private void createConfigMap(String namespace, String name, String config) {
        client.configMaps().resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withNamespace(namespace)
                        .withName(name)
                        .endMetadata()
                        .withData(Map.of(ConfigMapIdentities.KEY, config))
                        .build())
                .create();
    }

    private void updateConfigMap(String config) {
        client.configMaps().inNamespace(WEBHOOK_NAMESPACE).withName(ConfigMapIdentities.NAME)
                .edit(cm -> new ConfigMapBuilder(cm).withData(Map.of(ConfigMapIdentities.KEY, config)).build());
    }

    private static String paths(List<MockApiServer.Request> requests) {
        return requests.stream().map(MockApiServer.Request::path).toList().toString();
    }

    /** Collects what {@link ClusterInformers} logs. */
    private static final class LogCapture extends Handler {

        private final List<LogRecord> records = new CopyOnWriteArrayList<>();
        private final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        boolean contains(Level atLeast, String text) {
            return records.stream().anyMatch(r -> r.getLevel().intValue() >= atLeast.intValue()
                    && formatter.formatMessage(r).contains(text));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }
}
