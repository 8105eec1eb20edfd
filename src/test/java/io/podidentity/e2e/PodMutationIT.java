package io.podidentity.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountTokenProjection;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The packaged webhook behind a real kube-apiserver: pods are created through the API server and
 * read back from it, so what is asserted is what etcd stores. Each test has its own namespace,
 * webhook process and registration (scoped to that namespace).
 */
@ExtendWith(ControlPlaneExtension.class)
class PodMutationIT {

    private static final String ROLE_ARN = "eks.amazonaws.com/role-arn";
    private static final String SKIP_LABEL = "eks.amazonaws.com/skip-pod-identity-webhook";
    private static final String TOKEN_DIR = "/var/run/secrets/eks.amazonaws.com/serviceaccount";

    private final ControlPlane controlPlane;
    private final KubernetesClient client;
    private String namespace;
    private Path workDir;
    private Webhook webhook;

    PodMutationIT(ControlPlane controlPlane) {
        this.controlPlane = controlPlane;
        this.client = controlPlane.client();
    }

    @BeforeEach
    void namespace(TestInfo test) throws IOException {
        String method = test.getTestMethod().orElseThrow().getName();
        namespace = controlPlane.createNamespace(method);
        workDir = Path.of("target", "e2e", "webhooks", namespace).toAbsolutePath();
        Files.createDirectories(workDir);
    }

    @AfterEach
    void stopWebhook() {
        if (webhook != null) {
            Webhook running = webhook;
            webhook = null;
            try {
                running.stopCleanly();
            } finally {
                running.close();
            }
        }
    }

    @Test
    void annotatedServiceAccountGivesPodRoleEnvTokenMountAndProjectedVolume() {
        serviceAccount(namespace, "app", "arn:aws:iam::111122223333:role/e2e-app");
        start(namespace);

        client.pods().inNamespace(namespace).resource(Pods.typed("""
                {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "app"},
                 "spec": {"serviceAccountName": "app",
                          "containers": [{"name": "app", "image": "registry.invalid/app:1",
                                          "env": [{"name": "EXISTING", "value": "kept"}]}]}}
                """)).create();
        Pod stored = client.pods().inNamespace(namespace).withName("app").get();

        Container app = stored.getSpec().getContainers().get(0);
        assertEquals(List.of("EXISTING", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE"),
                List.copyOf(Pods.env(app).keySet()), "env names in order");
        assertEquals("arn:aws:iam::111122223333:role/e2e-app", Pods.env(app).get("AWS_ROLE_ARN"));
        assertEquals(TOKEN_DIR + "/token", Pods.env(app).get("AWS_WEB_IDENTITY_TOKEN_FILE"));
        VolumeMount mount = app.getVolumeMounts().stream()
                .filter(m -> m.getName().equals("aws-iam-token")).findFirst().orElseThrow();
        assertEquals(TOKEN_DIR, mount.getMountPath());
        assertEquals(Boolean.TRUE, mount.getReadOnly());

        Volume volume = stored.getSpec().getVolumes().get(0);
        assertEquals("aws-iam-token", volume.getName(), "the token volume comes first, as upstream puts it");
        assertEquals(1, volume.getProjected().getSources().size());
        ServiceAccountTokenProjection token = volume.getProjected().getSources().get(0).getServiceAccountToken();
        assertEquals("sts.amazonaws.com", token.getAudience());
        assertEquals(86400L, token.getExpirationSeconds());
        assertEquals("token", token.getPath());
    }

    @Test
    void serviceAccountWithoutRoleAndOptedOutPodAreStoredUnchanged() {
        serviceAccount(namespace, "plain", null);
        serviceAccount(namespace, "with-role", "arn:aws:iam::111122223333:role/e2e-app");
        start(namespace);

        client.pods().inNamespace(namespace).resource(Pods.typed(Pods.simple("plain", "plain"))).create();
        Pod optedOut = Pods.typed(Pods.simple("opted-out", "with-role"));
        optedOut.getMetadata().setLabels(Map.of(SKIP_LABEL, "true"));
        client.pods().inNamespace(namespace).resource(optedOut).create();

        for (String name : List.of("plain", "opted-out")) {
            Pod stored = client.pods().inNamespace(namespace).withName(name).get();
            assertFalse(Pods.mutated(stored), name + " got a role: " + stored.getSpec());
            assertTrue(stored.getSpec().getVolumes().stream().noneMatch(v -> v.getName().equals("aws-iam-token")),
                    name + " got the token volume");
            assertTrue(stored.getSpec().getContainers().get(0).getEnv().isEmpty(), name + " got env");
        }
    }

    @Test
    void nativeSidecarRestartPolicyAndGrpcProbeSurviveMutation() {
        serviceAccount(namespace, "app", "arn:aws:iam::111122223333:role/e2e-app");
        start(namespace);

        // Sent and read back as text: no client-side model can drop a field on the way.
        controlPlane.rawCreate("/api/v1/namespaces/" + namespace + "/pods", """
                {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "sidecar"},
                 "spec": {"serviceAccountName": "app",
                          "initContainers": [{"name": "proxy", "image": "registry.invalid/proxy:1",
                                              "restartPolicy": "Always"}],
                          "containers": [{"name": "app", "image": "registry.invalid/app:1",
                                          "readinessProbe": {"grpc": {"port": 9090, "service": "health"},
                                                             "periodSeconds": 7}}]}}
                """);
        JsonNode spec = Pods.tree(controlPlane.rawGet("/api/v1/namespaces/" + namespace + "/pods/sidecar"))
                .path("spec");

        JsonNode proxy = spec.path("initContainers").path(0);
        assertEquals("Always", proxy.path("restartPolicy").asText(), "native sidecar restartPolicy: " + proxy);
        JsonNode probe = spec.path("containers").path(0).path("readinessProbe");
        assertEquals(9090, probe.path("grpc").path("port").asInt(), "gRPC probe: " + probe);
        assertEquals("health", probe.path("grpc").path("service").asText(), "gRPC probe: " + probe);
        assertEquals(7, probe.path("periodSeconds").asInt());
        for (JsonNode container : List.of(proxy, spec.path("containers").path(0))) {
            assertEquals("arn:aws:iam::111122223333:role/e2e-app", envOf(container).get("AWS_ROLE_ARN"),
                    container.path("name").asText() + " env");
        }
    }

    @Test
    void serviceAccountCreatedJustBeforePodIsFoundWithinGracePeriod() {
        start(namespace, "--service-account-lookup-grace-period=5s");

        serviceAccount(namespace, "late", "arn:aws:iam::111122223333:role/e2e-late");
        assertEquals("arn:aws:iam::111122223333:role/e2e-late", roleOf(create("late", "late")));

        // The watch usually wins that race; with the cache emptied, only the direct lookup can.
        // (serviceAccountMissingFromCacheWithoutGracePeriodLeavesPodUnchanged shows the other side.)
        webhook.clearCache();
        assertFalse(webhook.cache().contains("role/e2e-late"), "cache after clear: " + webhook.cache());
        assertEquals("arn:aws:iam::111122223333:role/e2e-late", roleOf(create("after-clear", "late")),
                "webhook log:\n" + webhook.logTail());
    }

    @Test
    void serviceAccountMissingFromCacheWithoutGracePeriodLeavesPodUnchanged() {
        serviceAccount(namespace, "app", "arn:aws:iam::111122223333:role/e2e-app");
        start(namespace);

        webhook.clearCache();

        assertFalse(Pods.mutated(create("app", "app")), "grace period 0: no lookup, no mutation");
    }

    @Test
    void changedRoleAnnotationAppliesToNextPod() {
        serviceAccount(namespace, "app", "arn:aws:iam::111122223333:role/first");
        start(namespace);
        assertEquals("arn:aws:iam::111122223333:role/first", roleOf(create("before", "app")));

        client.serviceAccounts().inNamespace(namespace).withName("app").edit(sa -> {
            sa.getMetadata().getAnnotations().put(ROLE_ARN, "arn:aws:iam::111122223333:role/second");
            return sa;
        });
        webhook.awaitCache("the changed annotation", cache -> cache.contains("role/second"));

        assertEquals("arn:aws:iam::111122223333:role/second", roleOf(create("after", "app")));
    }

    @Test
    void configMapWildcardNamespaceEntryGivesRoleInAnyNamespace() {
        // The ConfigMap lives in the webhook's namespace; the pod in another one, matched by "*".
        client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder()
                .withNewMetadata().withName("pod-identity-webhook").endMetadata()
                .addToData("config", """
                        {"*/from-config-map": {"RoleARN": "arn:aws:iam::111122223333:role/from-config-map",
                                               "Audience": "sts.amazonaws.com", "UseRegionalSTS": true,
                                               "TokenExpiration": 3600}}
                        """)
                .build()).create();
        String workloads = controlPlane.createNamespace("config-map-workloads");
        serviceAccount(workloads, "from-config-map", null);
        webhook = Webhook.start(controlPlane, workDir, namespace, "--watch-config-map");
        webhook.register(workloads, List.of("v1"), "Fail");
        webhook.awaitCache("the ConfigMap entry", cache -> cache.contains("role/from-config-map"));

        client.pods().inNamespace(workloads).resource(Pods.typed(Pods.simple("app", "from-config-map"))).create();
        Pod stored = client.pods().inNamespace(workloads).withName("app").get();

        Map<String, String> env = Pods.env(stored.getSpec().getContainers().get(0));
        assertEquals("arn:aws:iam::111122223333:role/from-config-map", env.get("AWS_ROLE_ARN"), "env: " + env);
        assertEquals("regional", env.get("AWS_STS_REGIONAL_ENDPOINTS"), "env: " + env);
        assertEquals(3600L, tokenProjection(stored, "aws-iam-token").getExpirationSeconds());
    }

    @Test
    void containerCredentialsFileGivesPodIdentityTokenAndLabel() throws IOException {
        Path file = workDir.resolve("container-credentials.json");
        Files.writeString(file, """
                {"identities": [{"namespace": "%s", "serviceAccount": "pod-identity"}]}
                """.formatted(namespace));
        serviceAccount(namespace, "pod-identity", null);
        start(namespace, "--watch-container-credentials-config=" + file);

        client.pods().inNamespace(namespace).resource(Pods.typed(Pods.simple("app", "pod-identity"))).create();
        Pod stored = client.pods().inNamespace(namespace).withName("app").get();

        Map<String, String> env = Pods.env(stored.getSpec().getContainers().get(0));
        assertEquals(Map.of(
                "AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://169.254.170.23/v1/credentials",
                "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
                "/var/run/secrets/pods.eks.amazonaws.com/serviceaccount/eks-pod-identity-token"), env);
        assertEquals("enabled", stored.getMetadata().getLabels().get("eks.amazonaws.com/pod-identity"));
        ServiceAccountTokenProjection token = tokenProjection(stored, "eks-pod-identity-token");
        assertEquals("pods.eks.amazonaws.com", token.getAudience());
        assertEquals("eks-pod-identity-token", token.getPath());
        assertTrue(token.getExpirationSeconds() >= 79200 && token.getExpirationSeconds() <= 86400,
                "lifetime spread over [79200, 86400]: " + token.getExpirationSeconds());
    }

    @Test
    void admissionReviewV1AndV1beta1BothMutate() {
        String v1beta1 = controlPlane.createNamespace("review-v1beta1");
        serviceAccount(namespace, "app", "arn:aws:iam::111122223333:role/e2e-app");
        serviceAccount(v1beta1, "app", "arn:aws:iam::111122223333:role/e2e-app");
        webhook = Webhook.start(controlPlane, workDir, namespace);
        webhook.register(namespace, List.of("v1"), "Fail");
        webhook.register(v1beta1, List.of("v1beta1"), "Fail");

        for (String ns : List.of(namespace, v1beta1)) {
            client.pods().inNamespace(ns).resource(Pods.typed(Pods.simple("app", "app"))).create();
            assertEquals("arn:aws:iam::111122223333:role/e2e-app",
                    roleOf(client.pods().inNamespace(ns).withName("app").get()), "namespace " + ns);
        }
    }

    @Test
    void serverSideDryRunReturnsMutatedPodAndStoresNothing() {
        serviceAccount(namespace, "app", "arn:aws:iam::111122223333:role/e2e-app");
        start(namespace);

        Pod answer = client.pods().inNamespace(namespace).resource(Pods.typed(Pods.simple("dry", "app")))
                .dryRun().create();
        assertEquals("arn:aws:iam::111122223333:role/e2e-app", roleOf(answer));

        Processes.Result kubectl = controlPlane.kubectl("create", "-n", namespace, "--dry-run=server", "-o", "json",
                "-f", writePod("dry-kubectl", Pods.simple("dry-kubectl", "app")).toString());
        kubectl.requireSuccess("create with --dry-run=server");
        assertEquals("arn:aws:iam::111122223333:role/e2e-app",
                envOf(Pods.tree(kubectl.stdout()).path("spec").path("containers").path(0)).get("AWS_ROLE_ARN"));

        assertNull(client.pods().inNamespace(namespace).withName("dry").get(), "dry run stored a pod");
        assertNull(client.pods().inNamespace(namespace).withName("dry-kubectl").get(), "dry run stored a pod");
    }

    @Test
    void malformedRoleArnIsUsedAndItsWarningReachesKubectl() {
        serviceAccount(namespace, "odd", "arn:aws:iam::12345:role/short-account");
        start(namespace);

        Processes.Result kubectl = controlPlane.kubectl("create", "-n", namespace,
                "-f", writePod("odd", Pods.simple("odd", "odd")).toString());

        kubectl.requireSuccess("create a pod whose role ARN is malformed");
        assertTrue(kubectl.stderr().contains("Warning:") && kubectl.stderr().contains("arn:aws:iam::12345:role/short-account"),
                "kubectl stderr should carry the webhook's warning, was:\n" + kubectl.stderr());
        assertEquals("arn:aws:iam::12345:role/short-account",
                roleOf(client.pods().inNamespace(namespace).withName("odd").get()), "the value is still used");
    }

    @Test
    void webhookDownWithIgnorePolicyLetsPodsThroughThenMutatesWhenBack() {
        serviceAccount(namespace, "app", "arn:aws:iam::111122223333:role/e2e-app");
        webhook = Webhook.start(controlPlane, workDir, namespace);
        webhook.register(namespace, List.of("v1"), "Ignore");

        webhook.stopCleanly();
        Pod whileDown = create("while-down", "app");
        assertFalse(Pods.mutated(whileDown), "mutated while the webhook was down: " + whileDown.getSpec());

        webhook.start();
        Poll.until(Duration.ofSeconds(30), "the API server to reach the restarted webhook", () -> Pods.mutated(
                client.pods().inNamespace(namespace).resource(Pods.typed(Pods.simple("probe", "app"))).dryRun().create()));
        assertEquals("arn:aws:iam::111122223333:role/e2e-app", roleOf(create("when-back", "app")));
    }

    @Test
    void informerRecoversAfterApiServerRestartWithoutRestartingWebhook() {
        serviceAccount(namespace, "before", "arn:aws:iam::111122223333:role/before");
        start(namespace);
        assertEquals("arn:aws:iam::111122223333:role/before", roleOf(create("before", "before")));

        controlPlane.restartApiServer();
        serviceAccount(namespace, "after", "arn:aws:iam::111122223333:role/after-restart");
        webhook.awaitCache("a ServiceAccount created after the API server restart",
                cache -> cache.contains("role/after-restart"));

        Pod after = create("after", "after");
        assertEquals("arn:aws:iam::111122223333:role/after-restart", roleOf(after),
                "webhook log:\n" + webhook.logTail());
    }

    /**
     * SIGTERM is how the kubelet stops a replica, while kube-proxy may still route new connections
     * to it for a moment: for --shutdown-delay it is not ready but still admits, then drains and
     * exits 0 (a rollout restart on the real node lost an admission before this, RealNodeIT).
     */
    @Test
    void sigtermKeepsAdmittingForTheShutdownDelayThenExitsWithZero() {
        serviceAccount(namespace, "app", "arn:aws:iam::111122223333:role/e2e-app");
        start(namespace, "--shutdown-delay=3s");
        Webhook running = webhook;
        webhook = null;
        long start = System.nanoTime();
        running.signalTerm();
        Poll.until(Duration.ofSeconds(2), "/readyz to fail after SIGTERM", () -> running.readyzStatus() == 503);

        // failurePolicy Fail: the pod is stored only if the webhook answered.
        assertEquals("arn:aws:iam::111122223333:role/e2e-app", roleOf(create("during-shutdown", "app")),
                "admitted while shutting down; log:\n" + running.logTail());
        int code = running.awaitExit();
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        running.close();
        assertEquals(0, code, "exit code after SIGTERM; log:\n" + running.logTail());
        assertTrue(seconds >= 3, "exited after " + seconds + " s, before the 3 s shutdown delay ended");
    }

    // --- helpers -------------------------------------------------------------------------------

    /** Starts a webhook whose ConfigMap namespace is the test's, registered there for v1 with Fail. */
    private void start(String ns, String... flags) {
        webhook = Webhook.start(controlPlane, workDir, ns, flags);
        webhook.register(ns, List.of("v1"), "Fail");
    }

    private void serviceAccount(String ns, String name, String roleArn) {
        ServiceAccountBuilder sa = new ServiceAccountBuilder().withNewMetadata().withName(name).endMetadata();
        if (roleArn != null) {
            sa.editMetadata().addToAnnotations(ROLE_ARN, roleArn).endMetadata();
        }
        client.serviceAccounts().inNamespace(ns).resource(sa.build()).create();
    }

    private Pod create(String name, String serviceAccount) {
        client.pods().inNamespace(namespace).resource(Pods.typed(Pods.simple(name, serviceAccount))).create();
        Pod stored = client.pods().inNamespace(namespace).withName(name).get();
        assertNotNull(stored, "pod " + name + " not stored");
        return stored;
    }

    private Path writePod(String name, String json) {
        try {
            return Files.writeString(workDir.resolve(name + ".json"), json);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String roleOf(Pod pod) {
        return Pods.env(pod.getSpec().getContainers().get(0)).get("AWS_ROLE_ARN");
    }

    private static ServiceAccountTokenProjection tokenProjection(Pod pod, String volume) {
        return pod.getSpec().getVolumes().stream().filter(v -> v.getName().equals(volume)).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + volume + " in " + pod.getSpec().getVolumes()))
                .getProjected().getSources().get(0).getServiceAccountToken();
    }

    private static Map<String, String> envOf(JsonNode container) {
        Map<String, String> env = new LinkedHashMap<>();
        container.path("env").forEach(var -> env.put(var.path("name").asText(), var.path("value").asText()));
        return env;
    }
}
