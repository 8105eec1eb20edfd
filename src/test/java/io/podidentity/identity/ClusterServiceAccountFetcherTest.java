package io.podidentity.identity;

import static io.podidentity.identity.TestAnnotations.PREFIX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.podidentity.identity.Resolution.Outcome;
import io.podidentity.mutation.Identity;
import io.podidentity.testing.Waiting;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ClusterServiceAccountFetcher} against the fabric8 mock API server (CRUD mode), with no
 * informer running: whatever reaches the store came through the direct GET.
 */
class ClusterServiceAccountFetcherTest {

    private static final String ROLE = "arn:aws:iam::111122223333:role/app";
    private static final IdentityDefaults DEFAULTS =
            new IdentityDefaults("sts.amazonaws.com", false, 86_400, RoleArns.plain());
    private static final long TIMER_TOLERANCE_MILLIS = 10;

    private MockApiServer api;
    private KubernetesClient client;
    private ServiceAccountStore store;
    private ScheduledExecutorService executor;
    private ClusterServiceAccountFetcher fetcher;

    @BeforeEach
    void startServer() {
        api = new MockApiServer();
        client = api.client();
        store = new ServiceAccountStore(PREFIX);
        // As in production: one thread runs the queued GETs.
        executor = Executors.newSingleThreadScheduledExecutor();
        // A cold JVM's first request can take more than the 1 s timeout; keep it out of the tests.
        client.serviceAccounts().inNamespace("warm-up").withName("warm-up").get();
        fetcher = new ClusterServiceAccountFetcher(client, store, executor);
    }

    @AfterEach
    void stopEverything() {
        executor.shutdownNow();
        api.close();
    }

    @Test
    void getOfAnExistingServiceAccountStoresItAndWakesItsWaiter() throws Exception {
        api.createServiceAccount("team-a", "app", Map.of(PREFIX + "/role-arn", ROLE, "example.com/owner", "team-a"));
        CompletableFuture<CachedServiceAccount> waiter =
                store.awaitArrival("team-a", "app", Waiting.DEADLINE.plusSeconds(5));

        fetcher.request("team-a", "app");

        CachedServiceAccount arrived = waiter.get(Waiting.DEADLINE.toSeconds(), TimeUnit.SECONDS);
        assertNotNull(arrived, "the waiter timed out: the GET did not store the ServiceAccount");
        assertEquals(ROLE, arrived.annotation("role-arn"));
        assertNotNull(store.get("team-a", "app"));
        assertEquals(Map.of(PREFIX + "/role-arn", ROLE), store.snapshot().get("team-a/app"));
        assertEquals(1, api.getsOf(path("team-a", "app")).size());
    }

    @Test
    void getOfAMissingServiceAccountStoresNothing() throws Exception {
        fetcher.request("team-a", "missing");

        afterQueuedGets();
        assertEquals(1, api.getsOf(path("team-a", "missing")).size(), "the GET was sent");
        assertNull(store.get("team-a", "missing"));
        assertEquals(0, store.size());
    }

    @Test
    void getTheApiServerDoesNotAnswerWithinOneSecondIsAbandonedAndAskedAgainLater() throws Exception {
        api.createServiceAccount("team-a", "slow", Map.of(PREFIX + "/role-arn", ROLE));
        api.delayObjectGets(Duration.ofSeconds(3));
        long start = System.nanoTime();

        fetcher.request("team-a", "slow");

        afterQueuedGets();
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        assertNull(store.get("team-a", "slow"), "the late answer was not waited for");
        assertTrue(elapsedMillis >= ClusterServiceAccountFetcher.REQUEST_TIMEOUT_MILLIS - TIMER_TOLERANCE_MILLIS
                && elapsedMillis < 2_500, "gave up after the 1 s request timeout, not after " + elapsedMillis + " ms");
        // The informer's own client keeps its timeout: the same GET through it waits for the answer.
        assertNotNull(client.serviceAccounts().inNamespace("team-a").withName("slow").get());
        // Abandoned, not stuck: the next request sends a new GET.
        api.delayObjectGets(Duration.ZERO);
        fetcher.request("team-a", "slow");
        afterQueuedGets();
        assertNotNull(store.get("team-a", "slow"));
        assertEquals(3, api.getsOf(path("team-a", "slow")).size());
    }

    @Test
    void secondRequestWhileTheFirstIsPendingSendsNoSecondGet() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        executor.execute(() -> awaitQuietly(release)); // holds the GET thread: the first request stays pending

        fetcher.request("team-a", "missing");
        fetcher.request("team-a", "missing");
        fetcher.request("team-a", "missing");
        release.countDown();

        afterQueuedGets();
        assertEquals(1, api.getsOf(path("team-a", "missing")).size());
        // Once answered, the key is no longer pending: a new request asks again.
        fetcher.request("team-a", "missing");
        afterQueuedGets();
        assertEquals(2, api.getsOf(path("team-a", "missing")).size());
    }

    @Test
    void requestForAServiceAccountAlreadyStoredSendsNoGet() throws Exception {
        store.store("team-a", "app", "7", Map.of(PREFIX + "/role-arn", ROLE));

        fetcher.request("team-a", "app");

        afterQueuedGets();
        assertEquals(List.of(), api.getsOf(path("team-a", "app")));
    }

    @Test
    void beyondABurstOf20RequestsGetsAreSpacedAtTenPerSecond() {
        int count = 30;
        long start = System.nanoTime();

        for (int i = 0; i < count; i++) {
            fetcher.request("team-a", "sa-" + i);
        }

        Waiting.until(count + " GETs to reach the server", () -> gets().size() == count);
        List<Long> millis = gets().stream().map(r -> (r.nanos() - start) / 1_000_000).sorted().toList();
        // A burst of 20 goes out at once: paced at 10/s from the start, the 20th would wait 1.9 s.
        assertTrue(millis.get(19) < 1_000, "the first 20 GETs are not held back: " + millis);
        // From the 21st on, the n-th extra GET cannot start before n × 100 ms.
        for (int k = 20; k < count; k++) {
            long earliest = (k - 19) * 100L - TIMER_TOLERANCE_MILLIS;
            assertTrue(millis.get(k) >= earliest,
                    "GET " + (k + 1) + " at " + millis.get(k) + " ms, expected at " + earliest + " ms or later: " + millis);
        }
        // Queued, not dropped, and not slower than the rate either (generous bound).
        assertTrue(millis.get(count - 1) < 1_000 + 3_000, "the queue drains at about 10/s: " + millis);
    }

    @Test
    void resolverFindsAServiceAccountCreatedJustBeforeThroughTheDirectGet() throws Exception {
        api.createServiceAccount("team-a", "new", Map.of(PREFIX + "/role-arn", ROLE));

        Resolution resolution = resolver(Duration.ofSeconds(2)).resolve("team-a", "new")
                .toCompletableFuture().get(Waiting.DEADLINE.toSeconds(), TimeUnit.SECONDS);

        assertEquals(Outcome.SERVICE_ACCOUNT_ROLE, resolution.outcome(), resolution.warnings().toString());
        assertEquals(new Identity.WebIdentity(ROLE, "sts.amazonaws.com", false, 86_400), resolution.identity());
        assertEquals(1, api.getsOf(path("team-a", "new")).size());
    }

    @Test
    void resolverGivesUpAfterTheGracePeriodWhenTheServiceAccountNeverExists() throws Exception {
        long start = System.nanoTime();

        Resolution resolution = resolver(Duration.ofSeconds(2)).resolve("team-a", "ghost")
                .toCompletableFuture().get(Waiting.DEADLINE.toSeconds(), TimeUnit.SECONDS);

        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(Outcome.SERVICE_ACCOUNT_MISSING, resolution.outcome());
        assertNull(resolution.identity());
        assertTrue(elapsedMillis >= 2_000 - TIMER_TOLERANCE_MILLIS, "waited the grace period, not " + elapsedMillis + " ms");
        assertTrue(elapsedMillis < 2_000 + 5_000, "gave up soon after the grace period, not after " + elapsedMillis + " ms");
        assertEquals(1, api.getsOf(path("team-a", "ghost")).size(), "the direct GET was tried");
        assertTrue(resolution.warnings().stream().anyMatch(w -> w.contains("team-a/ghost") && w.contains("2000 ms")),
                resolution.warnings().toString());
    }

    // --- helpers --------------------------------------------------------------------------------

    @Test
    void warmUpSendsOneGetOnTheFetchersThread() throws Exception {
        fetcher.warmUp("team-a");

        afterQueuedGets();
        assertEquals(1, api.getsOf(path("team-a", "pod-identity-webhook-warm-up")).size());
    }

    @Test
    void warmUpDueAfterShutdownDoesNothing() {
        executor.shutdownNow();

        fetcher.warmUp("team-a");

        assertEquals(0, api.getsOf(path("team-a", "pod-identity-webhook-warm-up")).size());
    }

    private IdentityResolver resolver(Duration gracePeriod) {
        return new IdentityResolver(store, new ConfigMapIdentities(DEFAULTS), new ContainerCredentialsIdentities(),
                DEFAULTS, gracePeriod, fetcher);
    }

    /** Returns once every GET queued without delay has run: the executor has one thread and keeps order. */
    private void afterQueuedGets() throws Exception {
        executor.submit(() -> {}).get(Waiting.DEADLINE.toSeconds(), TimeUnit.SECONDS);
    }

    private List<MockApiServer.Request> gets() {
        return api.requests("GET", p -> p.startsWith("/api/v1/namespaces/team-a/serviceaccounts/sa-"));
    }

    private static String path(String namespace, String name) {
        return "/api/v1/namespaces/" + namespace + "/serviceaccounts/" + name;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(Waiting.DEADLINE.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
