import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.podidentity.identity.ServiceAccountStore;
import java.util.HashMap;
import java.util.Map;

/**
 * Heap held by the ServiceAccount cache: N ServiceAccounts shaped like a real cluster's (a
 * last-applied annotation, a label, one in ten with a role) go through the informer's put path,
 * then the retained heap is measured after full GCs. Run with -XX:+UseSerialGC (see bench/README.md).
 */
public class CacheMemory {

    static ServiceAccountStore store;

    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]);
        new ServiceAccountBuilder().build(); // load the model classes before the baseline
        store = new ServiceAccountStore("eks.amazonaws.com");
        for (int i = 0; i < n; i++) {
            Map<String, String> annotations = new HashMap<>();
            annotations.put("kubectl.kubernetes.io/last-applied-configuration",
                    "{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\"service-account-" + i + "\"}}");
            if (i % 10 == 0) {
                annotations.put("eks.amazonaws.com/role-arn", "arn:aws:iam::111122223333:role/app-" + i);
            }
            ServiceAccount sa = new ServiceAccountBuilder().withNewMetadata()
                    .withName("service-account-" + i).withNamespace("namespace-" + (i % 500))
                    .withResourceVersion(Integer.toString(100_000 + i)).withAnnotations(annotations)
                    .withLabels(Map.of("app", "x")).endMetadata().build();
            store.put(store.getKey(sa), sa);
        }
        // Measured as the heap with the store minus the heap without it: a baseline taken before
        // filling drifts by more than a small store weighs (caches behind soft references).
        long with = used();
        int cached = store.size();
        store = null;
        long retained = with - used();
        System.out.printf("%d ServiceAccounts: %.1f MB retained, %.0f bytes per ServiceAccount (%d cached)%n",
                n, retained / 1e6, retained / (double) n, cached);
    }

    private static long used() {
        for (int i = 0; i < 5; i++) {
            System.gc();
        }
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }
}
