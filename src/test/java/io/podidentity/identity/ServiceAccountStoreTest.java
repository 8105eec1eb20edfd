package io.podidentity.identity;

import static io.podidentity.identity.TestAnnotations.PREFIX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The ServiceAccount cache: what it keeps, waiting for arrivals, and the informer's view of it. */
class ServiceAccountStoreTest {

    private static final String ROLE = "arn:aws:iam::111122223333:role/app";

    private final ServiceAccountStore store = new ServiceAccountStore(PREFIX);

    private static ServiceAccount serviceAccount(String namespace, String name, String resourceVersion, Map<String, String> annotations) {
        return new ServiceAccountBuilder()
                .withMetadata(new ObjectMetaBuilder()
                        .withNamespace(namespace)
                        .withName(name)
                        .withResourceVersion(resourceVersion)
                        .withAnnotations(annotations)
                        .withLabels(Map.of("app", "web"))
                        .withUid("0b7c6f7e-7a35-4a8e-9d2e-2f3b0f1c9a11")
                        .build())
                .withAutomountServiceAccountToken(false)
                .build();
    }

    @Test
    void keepsOnlyAnnotationsUnderThePrefix() {
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(PREFIX + "/role-arn", ROLE);
        annotations.put(PREFIX + "/audience", "aud");
        annotations.put(PREFIX + ".evil/role-arn", "no: longer prefix");
        annotations.put("x" + PREFIX + "/role-arn", "no: other prefix");
        annotations.put(PREFIX, "no: the prefix alone");
        annotations.put("kubectl.kubernetes.io/last-applied-configuration", "{\"big\": true}");

        store.store("default", "app", "5", annotations);

        CachedServiceAccount sa = store.get("default", "app");
        assertEquals(Map.of(PREFIX + "/role-arn", ROLE, PREFIX + "/audience", "aud"), sa.annotations(PREFIX));
        assertEquals(ROLE, sa.annotation("role-arn"));
        assertNull(sa.annotation("last-applied-configuration"));
        assertEquals("5", sa.resourceVersion());
    }

    @Test
    void serviceAccountWithoutAnnotationsIsKeptWithNone() {
        store.store("default", "a", "1", null);
        store.store("default", "b", "1", Map.of("other/x", "y"));

        assertFalse(store.get("default", "a").hasAnnotations());
        assertFalse(store.get("default", "b").hasAnnotations());
        assertEquals(2, store.size());
    }

    @Test
    void waiterCompletesWhenTheServiceAccountIsPut() throws Exception {
        CompletableFuture<CachedServiceAccount> waiter = store.awaitArrival("default", "app", Duration.ofSeconds(30));
        assertFalse(waiter.isDone());

        store.put(ServiceAccountStore.key("default", "app"), serviceAccount("default", "app", "3", Map.of(PREFIX + "/role-arn", ROLE)));

        CachedServiceAccount sa = waiter.get(5, TimeUnit.SECONDS);
        assertEquals(ROLE, sa.annotation("role-arn"));
    }

    @Test
    void waiterCompletesOnStoreAndOnlyForItsOwnKey() throws Exception {
        CompletableFuture<CachedServiceAccount> waiter = store.awaitArrival("default", "app", Duration.ofSeconds(30));

        store.store("default", "other", "1", Map.of());
        store.store("other", "app", "1", Map.of());
        assertFalse(waiter.isDone(), "another key must not wake the waiter");

        store.store("default", "app", "2", Map.of());
        assertEquals("2", waiter.get(5, TimeUnit.SECONDS).resourceVersion());
    }

    @Test
    void waiterTimesOutWithNull() throws Exception {
        long start = System.nanoTime();

        CachedServiceAccount sa = store.awaitArrival("default", "app", Duration.ofMillis(100)).get(5, TimeUnit.SECONDS);

        assertNull(sa);
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(100));
    }

    @Test
    void waiterForAServiceAccountAlreadyPresentCompletesAtOnce() {
        store.store("default", "app", "1", Map.of());

        CompletableFuture<CachedServiceAccount> waiter = store.awaitArrival("default", "app", Duration.ofSeconds(30));

        assertTrue(waiter.isDone());
        assertSame(store.get("default", "app"), waiter.join());
    }

    @Test
    void severalWaitersForOneKeyAllComplete() throws Exception {
        CompletableFuture<CachedServiceAccount> first = store.awaitArrival("default", "app", Duration.ofSeconds(30));
        CompletableFuture<CachedServiceAccount> second = store.awaitArrival("default", "app", Duration.ofSeconds(30));

        store.storeIfAbsent("default", "app", "1", Map.of());

        assertEquals("1", first.get(5, TimeUnit.SECONDS).resourceVersion());
        assertEquals("1", second.get(5, TimeUnit.SECONDS).resourceVersion());
    }

    @Test
    void storeIfAbsentDoesNotReplaceWhatTheInformerDelivered() {
        store.store("default", "app", "9", Map.of(PREFIX + "/role-arn", ROLE));

        store.storeIfAbsent("default", "app", "3", Map.of());

        assertEquals("9", store.get("default", "app").resourceVersion());
        assertEquals(ROLE, store.get("default", "app").annotation("role-arn"));
    }

    @Test
    void replaceAllRemovesAbsentKeysAndWakesWaiters() throws Exception {
        store.store("default", "gone", "1", Map.of());
        store.store("default", "kept", "1", Map.of());
        CompletableFuture<CachedServiceAccount> waiter = store.awaitArrival("default", "new", Duration.ofSeconds(30));

        store.replaceAll(Map.of(
                "default/kept", CachedServiceAccount.of("2", Map.of(), PREFIX),
                "default/new", CachedServiceAccount.of("1", Map.of(PREFIX + "/role-arn", ROLE), PREFIX)));

        assertNull(store.get("default", "gone"));
        assertEquals("2", store.get("default", "kept").resourceVersion());
        assertEquals(ROLE, waiter.get(5, TimeUnit.SECONDS).annotation("role-arn"));
        assertEquals(2, store.size());
    }

    @Test
    void clearRemovesEverything() {
        store.store("default", "app", "1", Map.of());

        store.clear();

        assertEquals(0, store.size());
        assertNull(store.get("default", "app"));
    }

    @Test
    void itemStoreViewRoundTripsNameNamespaceResourceVersionAndPrefixedAnnotations() {
        ServiceAccount original = serviceAccount("team", "app", "77",
                Map.of(PREFIX + "/role-arn", ROLE, "unrelated/annotation", "dropped"));
        String key = store.getKey(original);

        store.put(key, original);
        ServiceAccount view = store.get(key);

        assertEquals("team/app", key);
        assertEquals("team", view.getMetadata().getNamespace());
        assertEquals("app", view.getMetadata().getName());
        assertEquals("77", view.getMetadata().getResourceVersion());
        assertEquals(Map.of(PREFIX + "/role-arn", ROLE), view.getMetadata().getAnnotations());
    }

    @Test
    void itemStoreViewOfServiceAccountWithoutPrefixedAnnotationsHasNoAnnotationsMap() {
        store.put("team/app", serviceAccount("team", "app", "1", Map.of("unrelated/annotation", "x")));

        assertTrue(store.get("team/app").getMetadata().getAnnotations() == null
                || store.get("team/app").getMetadata().getAnnotations().isEmpty());
    }

    @Test
    void itemStorePutReturnsThePreviousViewAndRemoveForgets() {
        assertNull(store.put("team/app", serviceAccount("team", "app", "1", Map.of())));

        ServiceAccount previous = store.put("team/app", serviceAccount("team", "app", "2", Map.of()));
        assertEquals("1", previous.getMetadata().getResourceVersion());

        ServiceAccount removed = store.remove("team/app");
        assertEquals("2", removed.getMetadata().getResourceVersion());
        assertNull(store.get("team/app"));
        assertNull(store.remove("team/app"));
    }

    @Test
    void itemStoreListsKeysAndValues() {
        store.put("a/one", serviceAccount("a", "one", "1", Map.of()));
        store.put("b/two", serviceAccount("b", "two", "2", Map.of(PREFIX + "/role-arn", ROLE)));

        assertEquals(Set.of("a/one", "b/two"), store.keySet().collect(Collectors.toSet()));
        assertEquals(Set.of("a/one@1", "b/two@2"), store.values()
                .map(sa -> sa.getMetadata().getNamespace() + "/" + sa.getMetadata().getName() + "@"
                        + sa.getMetadata().getResourceVersion())
                .collect(Collectors.toSet()));
    }

    @Test
    void snapshotListsKeptAnnotationsByKey() {
        store.store("b", "two", "1", Map.of(PREFIX + "/role-arn", ROLE, "other/x", "y"));
        store.store("a", "one", "1", Map.of());

        assertEquals(List.of("a/one", "b/two"), List.copyOf(store.snapshot().keySet()));
        assertEquals(Map.of(PREFIX + "/role-arn", ROLE), store.snapshot().get("b/two"));
    }
}
