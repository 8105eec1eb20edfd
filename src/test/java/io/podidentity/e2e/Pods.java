package io.podidentity.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Pod manifests for the scenarios, as JSON text, and readers for what the API server stored. */
final class Pods {

    static final ObjectMapper JSON = new ObjectMapper();

    private Pods() {
    }

    /** One container, {@code app}, running as {@code serviceAccount}; no kubelet ever pulls the image. */
    static String simple(String name, String serviceAccount) {
        return """
                {
                  "apiVersion": "v1",
                  "kind": "Pod",
                  "metadata": {"name": "%s"},
                  "spec": {
                    "serviceAccountName": "%s",
                    "containers": [{"name": "app", "image": "registry.invalid/app:1"}]
                  }
                }
                """.formatted(name, serviceAccount);
    }

    static Pod typed(String json) {
        return Serialization.unmarshal(json, Pod.class);
    }

    static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + json, e);
        }
    }

    /** The container's env as name → value, in order. */
    static Map<String, String> env(Container container) {
        Map<String, String> env = new LinkedHashMap<>();
        if (container.getEnv() != null) {
            for (EnvVar var : container.getEnv()) {
                env.put(var.getName(), var.getValue());
            }
        }
        return env;
    }

    /** True if any container or init container got the web-identity role variable. */
    static boolean mutated(Pod pod) {
        return pod.getSpec().getContainers().stream().anyMatch(c -> env(c).containsKey("AWS_ROLE_ARN"))
                || pod.getSpec().getInitContainers().stream().anyMatch(c -> env(c).containsKey("AWS_ROLE_ARN"));
    }
}
