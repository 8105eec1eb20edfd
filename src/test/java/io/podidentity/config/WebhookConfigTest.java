package io.podidentity.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.smallrye.config.WithName;
import java.lang.reflect.Method;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The command line and the configuration mapping describe the same settings. */
class WebhookConfigTest {

    /** Settings only reachable as configuration (no upstream flag needs them). */
    private static final Set<String> CONFIG_ONLY = Set.of("webhook.max-request-bytes");

    @Test
    void everyFlagPropertyIsAConfigPropertyAndViceVersa() {
        Set<String> fromFlags = UpstreamFlags.flags().stream()
                .map(Flag::property)
                .filter(p -> p != null)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> fromConfig = new TreeSet<>();
        for (Method method : WebhookConfig.class.getDeclaredMethods()) {
            WithName name = method.getAnnotation(WithName.class);
            String property = "webhook." + (name != null ? name.value() : method.getName());
            if (!CONFIG_ONLY.contains(property)) {
                fromConfig.add(property);
            }
        }
        assertEquals(fromConfig, fromFlags);
    }
}
