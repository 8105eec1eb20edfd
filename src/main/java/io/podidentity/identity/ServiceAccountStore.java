package io.podidentity.identity;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The ServiceAccount cache. It is the informer's item store itself, so each ServiceAccount is held
 * once, reduced to a {@link CachedServiceAccount}; the informer reads back minimal objects. Callers
 * can wait for a key that is not there yet (the lookup grace period).
 */
public final class ServiceAccountStore implements ItemStore<ServiceAccount> {

    private final String annotationPrefix;
    private final ConcurrentHashMap<String, CachedServiceAccount> accounts = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, List<CompletableFuture<CachedServiceAccount>>> waiters =
            new ConcurrentHashMap<>();

    public ServiceAccountStore(String annotationPrefix) {
        this.annotationPrefix = annotationPrefix;
    }

    public static String key(String namespace, String name) {
        return namespace + "/" + name;
    }

    /** The cached ServiceAccount, or {@code null}. */
    public CachedServiceAccount get(String namespace, String name) {
        return accounts.get(key(namespace, name));
    }

    /**
     * Completes with the ServiceAccount as soon as it is stored, or with {@code null} when it has
     * not arrived within {@code timeout}.
     */
    public CompletableFuture<CachedServiceAccount> awaitArrival(String namespace, String name, Duration timeout) {
        String key = key(namespace, name);
        CompletableFuture<CachedServiceAccount> waiter = new CompletableFuture<>();
        waiters.compute(key, (k, list) -> {
            List<CompletableFuture<CachedServiceAccount>> l = list == null ? new ArrayList<>(2) : list;
            l.add(waiter);
            return l;
        });
        // It may have arrived between the caller's miss and the registration.
        CachedServiceAccount present = accounts.get(key);
        if (present != null) {
            complete(key, present);
        }
        return waiter.completeOnTimeout(null, timeout.toNanos(), TimeUnit.NANOSECONDS)
                .whenComplete((sa, e) -> forget(key, waiter));
    }

    private void forget(String key, CompletableFuture<CachedServiceAccount> waiter) {
        waiters.computeIfPresent(key, (k, list) -> {
            list.remove(waiter);
            return list.isEmpty() ? null : list;
        });
    }

    private void complete(String key, CachedServiceAccount sa) {
        List<CompletableFuture<CachedServiceAccount>> list = waiters.remove(key);
        if (list != null) {
            for (CompletableFuture<CachedServiceAccount> waiter : List.copyOf(list)) {
                waiter.complete(sa);
            }
        }
    }

    /** Stores a ServiceAccount and wakes up whoever waits for it. */
    public void store(String namespace, String name, String resourceVersion, Map<String, String> annotations) {
        String key = key(namespace, name);
        CachedServiceAccount sa = CachedServiceAccount.of(resourceVersion, annotations, annotationPrefix);
        accounts.put(key, sa);
        complete(key, sa);
    }

    /** Stores a ServiceAccount fetched directly, unless the informer delivered it meanwhile. */
    public void storeIfAbsent(String namespace, String name, String resourceVersion, Map<String, String> annotations) {
        String key = key(namespace, name);
        CachedServiceAccount sa = CachedServiceAccount.of(resourceVersion, annotations, annotationPrefix);
        if (accounts.putIfAbsent(key, sa) == null) {
            complete(key, sa);
        }
    }

    /** Replaces the whole content (standalone mode reloading its file). */
    public void replaceAll(Map<String, CachedServiceAccount> content) {
        accounts.keySet().retainAll(content.keySet());
        content.forEach((key, sa) -> {
            accounts.put(key, sa);
            complete(key, sa);
        });
    }

    public int size() {
        return accounts.size();
    }

    /** A snapshot for the debug handler: key → kept annotations. */
    public Map<String, Map<String, String>> snapshot() {
        Map<String, Map<String, String>> copy = new java.util.TreeMap<>();
        accounts.forEach((key, sa) -> copy.put(key, sa.annotations(annotationPrefix)));
        return copy;
    }

    public void clear() {
        accounts.clear();
    }

    public String annotationPrefix() {
        return annotationPrefix;
    }

    // --- ItemStore: the informer's view -------------------------------------------------------

    @Override
    public String getKey(ServiceAccount sa) {
        return key(sa.getMetadata().getNamespace(), sa.getMetadata().getName());
    }

    @Override
    public ServiceAccount put(String key, ServiceAccount sa) {
        CachedServiceAccount reduced = CachedServiceAccount.of(
                sa.getMetadata().getResourceVersion(), sa.getMetadata().getAnnotations(), annotationPrefix);
        CachedServiceAccount previous = accounts.put(key, reduced);
        complete(key, reduced);
        return previous == null ? null : toServiceAccount(key, previous);
    }

    @Override
    public ServiceAccount remove(String key) {
        CachedServiceAccount previous = accounts.remove(key);
        return previous == null ? null : toServiceAccount(key, previous);
    }

    @Override
    public Stream<String> keySet() {
        return accounts.keySet().stream();
    }

    @Override
    public Stream<ServiceAccount> values() {
        return accounts.entrySet().stream().map(e -> toServiceAccount(e.getKey(), e.getValue()));
    }

    @Override
    public ServiceAccount get(String key) {
        CachedServiceAccount sa = accounts.get(key);
        return sa == null ? null : toServiceAccount(key, sa);
    }

    /**
     * The informer reads the whole store back after each list (to find what was deleted), so this
     * runs for every ServiceAccount at every (re)list: plain setters, not the fluent builders,
     * which copy each list and map field of the model.
     */
    private ServiceAccount toServiceAccount(String key, CachedServiceAccount sa) {
        int slash = key.indexOf('/');
        ObjectMeta metadata = new ObjectMeta();
        metadata.setNamespace(key.substring(0, slash));
        metadata.setName(key.substring(slash + 1));
        metadata.setResourceVersion(sa.resourceVersion());
        metadata.setAnnotations(sa.hasAnnotations() ? sa.annotations(annotationPrefix) : null);
        ServiceAccount account = new ServiceAccount();
        account.setMetadata(metadata);
        return account;
    }
}
