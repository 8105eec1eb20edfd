package io.podidentity.nativeimage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Collections;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The fabric8 model modules whose classes the native image leaves out of reflection
 * (application.properties, docs/native.md): every model jar on the class path but common hides its
 * Jandex index and its KubernetesResource service list (identity/ClusterModels names what the webhook
 * reads), so that a client upgrade bringing a new API group fails here instead of silently growing
 * the executable.
 */
class KubernetesModelsTest {

    private static final String SERVICE_LIST = "META-INF/services/io.fabric8.kubernetes.api.model.KubernetesResource";
    private static final Pattern MODEL_JAR = Pattern.compile("/(kubernetes-model-[a-z0-9]+)-\\d[^/]*\\.jar!/");
    private static final Pattern HIDDEN = Pattern.compile(
            "quarkus\\.class-loading\\.removed-resources\\.\"io\\.fabric8:(kubernetes-model-[a-z0-9]+)\"");
    /** Kept whole: the model's base types. What the webhook reads is listed by the project itself. */
    private static final Set<String> KEPT = Set.of("kubernetes-model-common");

    @Test
    void everyModelModuleButCommonIsHiddenFromTheIndexAndTheServiceList() throws IOException {
        Set<String> onClassPath = new TreeSet<>();
        for (URL url : Collections.list(getClass().getClassLoader().getResources(SERVICE_LIST))) {
            Matcher jar = MODEL_JAR.matcher(url.toString());
            if (jar.find()) {
                onClassPath.add(jar.group(1));
            }
        }
        assertTrue(onClassPath.contains("kubernetes-model-core"), "no fabric8 model on the class path: " + onClassPath);
        onClassPath.removeAll(KEPT);

        Properties properties = new Properties();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("application.properties")) {
            properties.load(in);
        }
        Set<String> hidden = new TreeSet<>();
        for (String key : properties.stringPropertyNames()) {
            Matcher module = HIDDEN.matcher(key);
            if (module.matches()) {
                hidden.add(module.group(1));
                assertEquals(Set.of("META-INF/jandex.idx", SERVICE_LIST), Set.of(properties.getProperty(key).split(",")), key);
            }
        }
        assertEquals(onClassPath, hidden, "model modules on the class path (but common) against those hidden");
    }
}
