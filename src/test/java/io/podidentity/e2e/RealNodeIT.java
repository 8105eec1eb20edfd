package io.podidentity.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.podidentity.testing.Waiting;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The product as a user runs it, on a real node of this machine ({@code e2e/node}): images
 * built from this repository ({@code e2e/images}), cert-manager running in the cluster, the
 * webhook installed with {@code kubectl apply -k} as {@code deploy/README.md} says, and the AWS
 * CLI in a pod of the homelab manifest ({@code examples/pitower-test.yaml}) getting role
 * credentials from an STS stand-in (moto) with the token the kubelet mounted. Then operators
 * restart, renew and kill while pods keep coming, and none may go without credentials.
 *
 * <p>What it measured goes to {@code target/e2e/realnode/report.md}. The methods run in order and
 * build on each other's cluster state.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealNodeIT {

    private static final Path OUT = Path.of("target", "e2e", "realnode").toAbsolutePath();
    private static final Path PROJECT = Path.of("").toAbsolutePath();
    private static final String NS = "pod-identity-webhook";
    /** With -Dwebhook.executable (Launcher), the native image built from it; else the JVM image. */
    private static final String WEBHOOK_TAG = Launcher.isNative() ? "e2e-native" : "e2e-jvm";
    private static final String WEBHOOK_IMAGE = "local/pod-identity-webhook:" + WEBHOOK_TAG;
    private static final String ROLE = "arn:aws:iam::" + Moto.ACCOUNT + ":role/pitower-test";
    private static final String BUCKET = "pitower-test-bucket";
    private static final String TOKEN_PATH = "/var/run/secrets/eks.amazonaws.com/serviceaccount/token";
    /** Pods the churn creates carry this nodeSelector: no node has the label, they stay Pending. */
    private static final Map<String, String> NOWHERE = Map.of("e2e.podidentity.io/unschedulable", "true");
    private static final String QUIET = "no disruption";

    private static ControlPlane cluster;
    private static Moto moto;
    private static final List<String> report = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void startNode() throws IOException {
        String uid = Processes.run(Duration.ofSeconds(10), null, "id", "-u").requireSuccess("id -u").stdout().strip();
        assertEquals("0", uid, "the real node (containerd, kubelet, kube-proxy) needs root; run the e2e suite as root");
        Processes.deleteRecursively(OUT);
        Files.createDirectories(OUT);
        long start = System.nanoTime();
        List<String> build = new ArrayList<>(List.of(PROJECT.resolve("e2e/images/build.sh").toString(), "pause",
                Launcher.isNative() ? "webhook-native" : "webhook", "cert-manager", "aws-cli"));
        String images = Processes.run(Duration.ofMinutes(60),
                        Map.of("PIW_NATIVE_EXECUTABLE", Launcher.isNative() ? Launcher.artifact().toString() : ""),
                        build.toArray(String[]::new))
                .requireSuccess("build the images").stdout().strip();
        report("webhook image %s, from %s", WEBHOOK_IMAGE, Launcher.artifact());
        report("images built (or found current) in %d s", seconds(start));
        start = System.nanoTime();
        cluster = ControlPlane.startWithNode(OUT.resolve("cluster"), Path.of(images.substring(images.lastIndexOf('\n') + 1)));
        report("node Ready, images imported, in %d s", seconds(start));
        moto = Moto.start(OUT.resolve("moto"), cluster.env("NODE_IP"), Webhook.freePort());
    }

    @AfterAll
    static void stopNode() throws IOException {
        Files.write(OUT.resolve("report.md"), report, StandardCharsets.UTF_8);
        report.forEach(line -> System.out.println("[RealNodeIT] " + line));
        if (moto != null) {
            moto.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void installsAsTheDeployReadmeSaysAndTheApiServerCallsTheWebhookThroughItsService() throws IOException {
        installCertManager();
        // deploy/README.md, step 2: an install of one's own that sets the image (and, for the JVM
        // image, adds components/jvm; the native image runs on base's own 128Mi/192Mi sizing); here
        // also imagePullPolicy Never, so nothing could be pulled.
        Path install = OUT.resolve("install");
        Files.createDirectories(install);
        Files.writeString(install.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                  - %1$s/deploy/base
                %2$s
                images:
                  - name: pod-identity-webhook
                    newName: local/pod-identity-webhook
                    newTag: %3$s
                patches:
                  - target: {group: apps, kind: Deployment, name: pod-identity-webhook}
                    patch: |-
                      - op: replace
                        path: /spec/template/spec/containers/0/imagePullPolicy
                        value: Never
                """.formatted(install.relativize(PROJECT),
                Launcher.isNative() ? "" : "components:\n  - %s/deploy/components/jvm".formatted(install.relativize(PROJECT)),
                WEBHOOK_TAG));
        long start = System.nanoTime();
        // Step 3, command by command: apply until cert-manager's webhook takes the Certificates.
        applyUntilAccepted(install);
        cluster.kubectl(Duration.ofMinutes(3), "-n", NS, "wait", "--for=condition=Ready", "--timeout=150s",
                "certificate/pod-identity-webhook").requireSuccess("wait for the serving certificate");
        cluster.kubectl(Duration.ofMinutes(4), "-n", NS, "rollout", "status", "deploy/pod-identity-webhook",
                "--timeout=200s").requireSuccess("wait for the rollout");
        report("install: `kubectl apply -k` to both replicas Ready in %d s", seconds(start));

        Deployment deployment = cluster.client().apps().deployments().inNamespace(NS).withName("pod-identity-webhook").get();
        assertEquals(2, deployment.getStatus().getReadyReplicas(), "both replicas Ready through their own probes");
        List<Pod> pods = webhookPods();
        assertEquals(2, pods.size());
        for (Pod pod : pods) {
            Container container = pod.getSpec().getContainers().get(0);
            assertEquals(WEBHOOK_IMAGE, container.getImage());
            assertTrue(container.getSecurityContext().getReadOnlyRootFilesystem());
            assertEquals(List.of("ALL"), container.getSecurityContext().getCapabilities().getDrop());
            long pid = Disruptions.containerPid(cluster, pod);
            Map<String, String> status = Disruptions.procStatus(pid);
            assertTrue(status.get("Uid").startsWith("65534\t"), "runs as 65534: " + status.get("Uid"));
            assertEquals("0000000000000000", status.get("CapEff"), "no capabilities");
            if (!Launcher.isNative()) {
                // The JVM maps the cache's regions only once it accepted the cache: the same JVM,
                // class path and compatible flags (the image trained it with its own JAVA_OPTS,
                // native/aot/train.sh; components/jvm replaces them). Otherwise it warns and runs
                // without, half a second slower to start.
                assertTrue(Disruptions.mapsFile(pid, "/deployments/app.aot"),
                        "the JVM runs on the image's AOT cache: " + pod.getMetadata().getName());
            } else {
                // Ready, then the executable's startup-only pages go back to the kernel
                // (memory.StartupPages): /webhook's own mappings, read from /proc/self as 65534.
                String name = pod.getMetadata().getName();
                Poll.until(Duration.ofSeconds(40), "the startup pages' release in " + name + "'s log", () -> cluster
                        .kubectl("-n", NS, "logs", name).stdout().contains("released the executable's startup-only pages"));
            }
        }

        String caBundle = cluster.kubectl("get", "mutatingwebhookconfiguration", "pod-identity-webhook", "-o",
                "jsonpath={.webhooks[0].clientConfig.caBundle}").requireSuccess("read the caBundle").stdout();
        String ca = cluster.kubectl("-n", NS, "get", "secret", "pod-identity-webhook-cert", "-o",
                "jsonpath={.data.ca\\.crt}").requireSuccess("read the issued CA").stdout();
        assertFalse(caBundle.isBlank(), "cainjector filled the caBundle");
        assertEquals(ca, caBundle, "the caBundle is the CA that signed the serving certificate");

        // The webhook configuration names the Service only: a mutated pod is an admission the API
        // server sent through the Service's ClusterIP, routed by kube-proxy to a replica.
        String namespace = createNamespace("install-check");
        createServiceAccount(namespace, "app", ROLE);
        Pod probe = cluster.client().pods().inNamespace(namespace).resource(churnPod("probe", "app")).dryRun().create();
        assertTrue(hasCredentials(probe), "the dry-run pod was mutated: " + probe.getSpec());
    }

    @Test
    @Order(2)
    void theAwsCliInAPodListsTheBucketWithTheRoleOfItsServiceAccount() throws Exception {
        moto.createBucket(BUCKET);
        // The homelab manifest, byte for byte, plus what points it at this machine: the image
        // built here and AWS_ENDPOINT_URL.
        Path app = OUT.resolve("app");
        Files.createDirectories(app);
        Files.copy(PROJECT.resolve("examples/pitower-test.yaml"), app.resolve("pitower-test.yaml"));
        Files.writeString(app.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                  - pitower-test.yaml
                images:
                  - name: public.ecr.aws/aws-cli/aws-cli
                    newName: local/aws-cli
                    newTag: 1.46.3
                patches:
                  - target: {group: apps, kind: Deployment, name: pitower-test}
                    patch: |-
                      - op: add
                        path: /spec/template/spec/containers/0/env/-
                        value: {name: AWS_ENDPOINT_URL, value: "%s"}
                """.formatted(moto.endpoint()));
        long start = System.nanoTime();
        cluster.kubectl("apply", "-k", app.toString()).requireSuccess("apply the homelab manifest");

        String[] log = new String[1];
        Poll.until(Duration.ofSeconds(120), "the AWS CLI's answer in the pod's log", () -> {
            Processes.Result result = cluster.kubectl("-n", "test", "logs", "deploy/pitower-test");
            log[0] = result.stdout() + result.stderr();
            return result.exitCode() == 0 && result.stdout().contains("\"Name\": \"" + BUCKET + "\"");
        });
        report("moment of truth: `kubectl apply -k` to the bucket listed in the pod's log in %d s", seconds(start));
        report("pod log:\n```\n%s```", log[0]);

        Pod pod = cluster.client().pods().inNamespace("test").withLabel("app", "pitower-test").list().getItems().get(0);
        assertTrue(hasCredentials(pod), "the pod was mutated: " + pod.getSpec());
        assertEquals(ROLE, Pods.env(pod.getSpec().getContainers().get(0)).get("AWS_ROLE_ARN"));

        String token = cluster.kubectl("-n", "test", "exec", pod.getMetadata().getName(), "--", "cat", TOKEN_PATH)
                .requireSuccess("read the token inside the container").stdout().strip();
        List<Moto.Request> assumes = moto.requests().stream()
                .filter(r -> r.action().equals("AssumeRoleWithWebIdentity")).toList();
        assertFalse(assumes.isEmpty(), "moto saw no AssumeRoleWithWebIdentity:\n" + moto.logTail());
        for (Moto.Request assume : assumes) {
            assertEquals(ROLE, assume.form().get("RoleArn"), "the role of the ServiceAccount's annotation");
            assertEquals(token, assume.form().get("WebIdentityToken"), "the token the kubelet mounted");
        }
        List<String> keys = moto.assumedRoles().stream().filter(r -> r.roleArn().equals(ROLE))
                .map(Moto.AssumedRole::accessKeyId).toList();
        assertFalse(keys.isEmpty(), "moto assumed " + ROLE);
        assertTrue(moto.requests().stream().anyMatch(r -> r.method().equals("GET")
                        && keys.stream().anyMatch(key -> r.authorization().contains("Credential=" + key + "/"))),
                "ListBuckets was signed with the role's temporary key " + keys);
        report("moto: %d AssumeRoleWithWebIdentity for %s with the mounted token; ListBuckets signed with %s",
                assumes.size(), ROLE, keys);

        // The token, as STS would judge it: the cluster's JWKS and the role's trust policy.
        Path jwks = Files.writeString(app.resolve("jwks.json"), cluster.rawGet("/openid/v1/jwks"));
        Path tokenFile = Files.writeString(app.resolve("token"), token);
        String issuerPath = cluster.issuer().substring("https://".length());
        Path policy = Files.writeString(app.resolve("trust-policy.json"), """
                {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                  "Principal": {"Federated": "arn:aws:iam::%1$s:oidc-provider/%2$s"},
                  "Action": "sts:AssumeRoleWithWebIdentity",
                  "Condition": {"StringEquals": {
                    "%2$s:sub": "system:serviceaccount:test:pitower-test", "%2$s:aud": "sts.amazonaws.com"}}}]}
                """.formatted(Moto.ACCOUNT, issuerPath));
        Processes.Result verify = Webhook.toolkit("oidc", "verify", "--token", tokenFile.toString(), "--issuer",
                cluster.issuer(), "--jwks", jwks.toString(), "--trust-policy", policy.toString());
        assertEquals(0, verify.exitCode(), verify.stdout() + verify.stderr());
        assertTrue(verify.stdout().endsWith("accepted: STS would accept this token\n"), verify.stdout());
        report("`oidc verify` of the mounted token:\n```\n%s```", verify.stdout());
    }

    @Test
    @Order(3)
    void noPodCreatedWhileOperatorsRestartRenewAndKillGoesWithoutCredentials() throws Exception {
        String namespace = createNamespace("churn");
        createServiceAccount(namespace, "app", ROLE);
        Disruptions disruptions = new Disruptions(cluster, NS);
        List<Creation> creations = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger sequence = new AtomicInteger();
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        ExecutorService creators = Executors.newFixedThreadPool(16);
        long start = System.nanoTime();
        ticker.scheduleAtFixedRate(() -> creations.add(new Creation(Instant.now(), creators.submit(() -> cluster.client()
                .pods().inNamespace(namespace).resource(churnPod("churn-" + sequence.incrementAndGet(), "app")).create()))),
                0, 100, TimeUnit.MILLISECONDS);
        List<Disruptions.Window> windows = new ArrayList<>();
        try {
            Thread.sleep(10_000);
            windows.add(disruptions.rolloutRestart());
            Thread.sleep(5_000);
            windows.add(disruptions.renewCertificate());
            Thread.sleep(5_000);
            windows.add(disruptions.killBusiestReplica());
            long remaining = Duration.ofSeconds(90).toNanos() - (System.nanoTime() - start);
            Thread.sleep(Math.max(10_000, TimeUnit.NANOSECONDS.toMillis(remaining)));
        } finally {
            ticker.shutdown();
            ticker.awaitTermination(5, TimeUnit.SECONDS);
        }
        long churnSeconds = seconds(start);
        List<String> failed = new ArrayList<>();
        Map<String, List<String>> missing = new LinkedHashMap<>();
        Map<String, Integer> created = new LinkedHashMap<>();
        windows.forEach(w -> {
            missing.put(w.name(), new ArrayList<>());
            created.put(w.name(), 0);
        });
        missing.put(QUIET, new ArrayList<>());
        created.put(QUIET, 0);
        for (Creation creation : List.copyOf(creations)) {
            String window = windows.stream().filter(w -> w.covers(creation.requested())).map(Disruptions.Window::name)
                    .findFirst().orElse(QUIET);
            try {
                Pod pod = creation.pod().get(60, TimeUnit.SECONDS);
                created.merge(window, 1, Integer::sum);
                if (!hasCredentials(pod)) {
                    missing.get(window).add(pod.getMetadata().getName() + " (requested " + creation.requested() + ")");
                }
            } catch (ExecutionException e) {
                failed.add(e.getCause().toString());
            }
        }
        creators.shutdown();
        int total = created.values().stream().mapToInt(Integer::intValue).sum();
        int without = missing.values().stream().mapToInt(List::size).sum();
        report("churn: %d pods created in %d s at 10/s (%d creations failed), %d without credentials",
                total, churnSeconds, failed.size(), without);
        for (Disruptions.Window window : windows) {
            report("- %s: %s; %d pods created meanwhile, %d without credentials %s", window.name(), window.summary(),
                    created.get(window.name()), missing.get(window.name()).size(), missing.get(window.name()));
        }
        report("- no disruption: %d pods created, %d without credentials %s", created.get(QUIET),
                missing.get(QUIET).size(), missing.get(QUIET));
        report("webhook memory after the churn: %s", memoryReport());
        report("API server, admissions that failed open: %s", failedOpen());

        assertTrue(total >= 800, "about 10 pods a second for 90 s were created: " + total);
        assertEquals(List.of(), failed, "pod creations that failed");
        // A SIGKILLed replica's endpoint stays in kube-proxy's rules until the kubelet, the
        // EndpointSlice controller and kube-proxy have noticed (the window measured above): a new
        // connection the API server opens meanwhile may be routed there and refused, and with
        // failurePolicy Ignore that pod starts without credentials. No webhook process can answer
        // for a dead one; those are reported above, and everything else must be mutated.
        missing.remove(Disruptions.KILL);
        missing.values().removeIf(List::isEmpty);
        assertEquals(Map.of(), missing, "pods created without credentials, by disruption; API server log:\n"
                + cluster.apiServerLogTail());
    }

    /** The API server's "failing open" log lines for this webhook, counted by the error after the URL. */
    private static Map<String, Integer> failedOpen() throws IOException {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String line : Files.readAllLines(cluster.dir().resolve("kube-apiserver.log"))) {
            int at = line.indexOf("failing open pod-identity-webhook.amazonaws.com");
            if (at >= 0) {
                int url = line.indexOf("/mutate?timeout=10s\": ", at);
                String error = url < 0 ? line.substring(at) : line.substring(url + 22);
                counts.merge(error.replaceAll("10\\.96\\.\\d+\\.\\d+", "CLUSTER-IP"), 1, Integer::sum);
            }
        }
        return counts;
    }

    /** A pod creation the churn started at {@code requested}. */
    private record Creation(Instant requested, Future<Pod> pod) {
    }

    @Test
    @Order(4)
    void serviceAccountAnnotationChangesGovernTheNextPod() {
        String namespace = createNamespace("sa-changes");
        createServiceAccount(namespace, "app", null);
        KubernetesClient client = cluster.client();
        assertFalse(hasCredentials(client.pods().inNamespace(namespace).resource(churnPod("before", "app")).create()),
                "no annotation: no credentials");

        cluster.kubectl("-n", namespace, "annotate", "serviceaccount", "app", "eks.amazonaws.com/role-arn=" + ROLE)
                .requireSuccess("annotate the ServiceAccount");
        Duration added = untilDryRunPod(namespace, true);
        Pod next = client.pods().inNamespace(namespace).resource(churnPod("added", "app")).create();
        assertTrue(hasCredentials(next), "the next pod after the annotation was added: " + next.getSpec());
        assertEquals(ROLE, Pods.env(next.getSpec().getContainers().get(0)).get("AWS_ROLE_ARN"));

        cluster.kubectl("-n", namespace, "annotate", "serviceaccount", "app", "eks.amazonaws.com/role-arn-")
                .requireSuccess("remove the annotation");
        Duration removed = untilDryRunPod(namespace, false);
        Pod after = client.pods().inNamespace(namespace).resource(churnPod("removed", "app")).create();
        assertFalse(hasCredentials(after), "the next pod after the annotation was removed: " + after.getSpec());
        report("ServiceAccount changes: an added annotation reached admissions %d ms after kubectl returned, "
                + "a removed one %d ms after", added.toMillis(), removed.toMillis());
    }

    /**
     * How long after a ServiceAccount change dry-run pods (created back to back) reflect it: the
     * informer's delay, which the very next pod may still see. Fails beyond 5 s.
     */
    private static Duration untilDryRunPod(String namespace, boolean credentials) {
        long start = System.nanoTime();
        if (Waiting.within(Duration.ofSeconds(5), Duration.ZERO, () -> hasCredentials(
                cluster.client().pods().inNamespace(namespace).resource(churnPod("probe", "app")).dryRun().create())
                == credentials)) {
            return Duration.ofNanos(System.nanoTime() - start);
        }
        throw new AssertionError("dry-run pods still " + (credentials ? "lack" : "get") + " credentials 5 s after the change");
    }

    /**
     * The public Helm chart's pod spec (jkroepke/amazon-eks-pod-identity-webhook, default values:
     * its flags, UID 65534 in group 1, a read-only root and nothing mounted at /tmp) with this
     * image instead of the Go webhook's. It must become Ready through the chart's probes and
     * answer an admission, writing nothing to the filesystem.
     */
    @Test
    @Order(5)
    void theHelmChartsPodSpecServesWithThisImage() throws Exception {
        String namespace = createNamespace("chart");
        createServiceAccount(namespace, "pod-identity-webhook", null);
        createServiceAccount(namespace, "app", ROLE);
        cluster.kubectl("create", "clusterrolebinding", "chart-pod-identity-webhook", "--clusterrole=pod-identity-webhook",
                "--serviceaccount=" + namespace + ":pod-identity-webhook").requireSuccess("bind the chart's ServiceAccount");
        // The chart's certificate Secret: here the one cert-manager issued for deploy/ (the test
        // reads what is served, it does not verify it).
        var issued = cluster.client().secrets().inNamespace(NS).withName("pod-identity-webhook-cert").get();
        cluster.client().secrets().inNamespace(namespace).resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata().withName("pod-identity-webhook-cert").endMetadata()
                .withType("kubernetes.io/tls").withData(issued.getData()).build()).create();
        Deployment chart = new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder()
                .withNewMetadata().withName("pod-identity-webhook").endMetadata()
                .withNewSpec().withReplicas(1)
                .withNewSelector().addToMatchLabels("app", "chart").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "chart").endMetadata()
                .withNewSpec()
                .withServiceAccountName("pod-identity-webhook")
                .withNewSecurityContext().withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .endSecurityContext()
                .addNewContainer().withName("amazon-eks-pod-identity-webhook").withImage(WEBHOOK_IMAGE)
                .withImagePullPolicy("Never")
                .withCommand("/webhook", "--annotation-prefix=eks.amazonaws.com", "--aws-default-region=us-east-1",
                        "--in-cluster=false", "--logtostderr", "--namespace=$(POD_NAMESPACE)", "--metrics-port=9999",
                        "--port=8443", "--service-name=pod-identity-webhook", "--sts-regional-endpoint=true",
                        "--token-audience=sts.amazonaws.com", "--token-expiration=86400",
                        "--token-mount-path=/var/run/secrets/eks.amazonaws.com/serviceaccount",
                        "--tls-cert=/etc/webhook/certs/tls.crt", "--tls-key=/etc/webhook/certs/tls.key")
                .addNewPort().withName("https").withContainerPort(8443).endPort()
                .addNewPort().withName("metrics").withContainerPort(9999).endPort()
                .addNewEnv().withName("POD_NAMESPACE").withNewValueFrom().withNewFieldRef()
                .withFieldPath("metadata.namespace").endFieldRef().endValueFrom().endEnv()
                .withNewLivenessProbe().withNewHttpGet().withPath("/healthz").withNewPort("https").withScheme("HTTPS")
                .endHttpGet().endLivenessProbe()
                .withNewReadinessProbe().withNewHttpGet().withPath("/healthz").withNewPort("https").withScheme("HTTPS")
                .endHttpGet().endReadinessProbe()
                .withNewSecurityContext().withAllowPrivilegeEscalation(false).withReadOnlyRootFilesystem(true)
                .withRunAsGroup(1L).withRunAsNonRoot(false).withRunAsUser(65534L)
                .withNewCapabilities().withDrop("ALL").endCapabilities().endSecurityContext()
                .addNewVolumeMount().withName("cert").withMountPath("/etc/webhook/certs").withReadOnly(true).endVolumeMount()
                .endContainer()
                .addNewVolume().withName("cert").withNewSecret().withSecretName("pod-identity-webhook-cert").endSecret()
                .endVolume()
                .endSpec().endTemplate().endSpec().build();
        cluster.client().apps().deployments().inNamespace(namespace).resource(chart).create();
        cluster.kubectl(Duration.ofMinutes(3), "-n", namespace, "rollout", "status", "deploy/pod-identity-webhook",
                "--timeout=150s").requireSuccess("the chart's pod spec to become Ready");

        Pod pod = cluster.client().pods().inNamespace(namespace).withLabel("app", "chart").list().getItems().get(0);
        String review = """
                {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {
                  "uid": "chart-1", "kind": {"group": "", "version": "v1", "kind": "Pod"},
                  "resource": {"group": "", "version": "v1", "resource": "pods"},
                  "namespace": "%s", "operation": "CREATE",
                  "object": {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "app"},
                    "spec": {"serviceAccountName": "app", "containers": [{"name": "app", "image": "app"}]}}}}
                """.formatted(namespace);
        String answer = Disruptions.postInsecurely("https://" + pod.getStatus().getPodIP() + ":8443/mutate", review);
        var response = Pods.tree(answer).path("response");
        assertTrue(response.path("allowed").asBoolean(), answer);
        String patch = new String(java.util.Base64.getDecoder().decode(response.path("patch").asText()),
                StandardCharsets.UTF_8);
        assertTrue(patch.contains(ROLE) && patch.contains("\"AWS_REGION\"") && patch.contains("regional"), patch);
        String log = cluster.kubectl("-n", namespace, "logs", pod.getMetadata().getName()).stdout();
        assertFalse(log.contains("Unable to create"), log);
        report("the Helm chart's pod spec (read-only root, no /tmp, UID 65534 GID 1) with this image: Ready, "
                + "and it answered an admission with the role, the region and regional STS");
    }

    /**
     * Upstream's own Deployment (its deploy/deployment-base.yaml: no --port, so 443, and no
     * securityContext) with this image, which runs as 65534: binding 443 is refused, and the
     * container says so in one line with the two fixes. The first fix, --port=8443, then runs.
     */
    @Test
    @Order(6)
    void upstreamsOwnDeploymentFailsWithOneLineNamingTheCauseAndTheFix() throws Exception {
        String namespace = createNamespace("upstream");
        createServiceAccount(namespace, "pod-identity-webhook", null);
        var issued = cluster.client().secrets().inNamespace(NS).withName("pod-identity-webhook-cert").get();
        cluster.client().secrets().inNamespace(namespace).resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata().withName("pod-identity-webhook-cert").endMetadata()
                .withType("kubernetes.io/tls").withData(issued.getData()).build()).create();
        List<String> command = new ArrayList<>(List.of("/webhook", "--in-cluster=false", "--namespace=" + namespace,
                "--service-name=pod-identity-webhook", "--annotation-prefix=eks.amazonaws.com",
                "--token-audience=sts.amazonaws.com", "--logtostderr"));
        cluster.client().apps().deployments().inNamespace(namespace).resource(upstreamDeployment(command)).create();

        String[] line = new String[1];
        Poll.until(Duration.ofSeconds(120), "the container's error line", () -> {
            Pod pod = cluster.client().pods().inNamespace(namespace).withLabel("app", "pod-identity-webhook").list()
                    .getItems().get(0);
            var statuses = pod.getStatus().getContainerStatuses();
            if (statuses == null || statuses.isEmpty() || statuses.get(0).getRestartCount() == 0) {
                return false;
            }
            String log = cluster.kubectl("-n", namespace, "logs", "--previous", pod.getMetadata().getName()).stdout();
            line[0] = log.lines().filter(l -> l.startsWith("error: ")).findFirst().orElse(null);
            return line[0] != null;
        });
        assertTrue(line[0].startsWith("error: --port 443: permission denied: binding a port below 1024 needs root or "
                + "CAP_NET_BIND_SERVICE, and this process runs as UID 65534. Pass --port=8443"), line[0]);
        report("upstream's own Deployment with this image: `%s`", line[0]);

        command.add("--port=8443");
        cluster.client().apps().deployments().inNamespace(namespace).withName("pod-identity-webhook")
                .edit(d -> upstreamDeployment(command));
        cluster.kubectl(Duration.ofMinutes(3), "-n", namespace, "rollout", "status", "deploy/pod-identity-webhook",
                "--timeout=150s").requireSuccess("upstream's Deployment with --port=8443");
        Poll.until(Duration.ofSeconds(60), "the webhook of upstream's Deployment to listen on 8443", () -> cluster
                .kubectl("-n", namespace, "logs", "deploy/pod-identity-webhook").stdout()
                .contains("Listening on: https://0.0.0.0:8443"));
    }

    private static Deployment upstreamDeployment(List<String> command) {
        return new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder()
                .withNewMetadata().withName("pod-identity-webhook").endMetadata()
                .withNewSpec().withReplicas(1)
                .withNewSelector().addToMatchLabels("app", "pod-identity-webhook").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "pod-identity-webhook").endMetadata()
                .withNewSpec().withServiceAccountName("pod-identity-webhook")
                .addNewContainer().withName("pod-identity-webhook").withImage(WEBHOOK_IMAGE).withImagePullPolicy("Never")
                .withCommand(command)
                .addNewVolumeMount().withName("cert").withMountPath("/etc/webhook/certs").withReadOnly(true).endVolumeMount()
                .endContainer()
                .addNewVolume().withName("cert").withNewSecret().withSecretName("pod-identity-webhook-cert").endSecret()
                .endVolume()
                .endSpec().endTemplate().endSpec().build();
    }

    private static void installCertManager() {
        long start = System.nanoTime();
        CertManagerCrds.install(cluster);
        cluster.kubectl("apply", "-k", PROJECT.resolve("e2e/certmanager/deploy").toString())
                .requireSuccess("install cert-manager");
        // deploy/README.md, step 1.
        for (String deployment : List.of("cert-manager", "cert-manager-cainjector", "cert-manager-webhook")) {
            cluster.kubectl(Duration.ofMinutes(3), "-n", "cert-manager", "rollout", "status", "deploy/" + deployment,
                    "--timeout=150s").requireSuccess("wait for " + deployment);
        }
        report("cert-manager: applied to its three Deployments rolled out in %d s", seconds(start));
    }

    /** deploy/README.md's {@code for i in $(seq 12); do kubectl apply -k DIR && break; sleep 5; done}. */
    private static void applyUntilAccepted(Path kustomization) {
        Processes.Result result = null;
        for (int attempt = 1; attempt <= 12; attempt++) {
            result = cluster.kubectl("apply", "-k", kustomization.toString());
            if (result.exitCode() == 0) {
                report("install: `kubectl apply -k` accepted at attempt %d", attempt);
                return;
            }
            Webhook.sleep(5_000);
        }
        result.requireSuccess("kubectl apply -k " + kustomization + " within 12 attempts");
    }

    /** The pods of the webhook's Deployment that are not terminating. */
    private static List<Pod> webhookPods() {
        return cluster.client().pods().inNamespace(NS).withLabel("app.kubernetes.io/name", "pod-identity-webhook")
                .list().getItems().stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    }

    /** The webhook container's {@code /proc/PID/status} fields, read on this machine. */
    private static Map<String, String> procStatus(Pod pod) {
        return Disruptions.procStatus(Disruptions.containerPid(cluster, pod));
    }

    private static String memoryReport() {
        List<String> lines = new ArrayList<>();
        for (Pod pod : webhookPods()) {
            Map<String, String> status = procStatus(pod);
            String limit = pod.getSpec().getContainers().get(0).getResources().getLimits().get("memory").toString();
            lines.add("%s: VmRSS %s, VmHWM %s (limit %s, restarts %d)".formatted(pod.getMetadata().getName(),
                    status.get("VmRSS"), status.get("VmHWM"), limit,
                    pod.getStatus().getContainerStatuses().get(0).getRestartCount()));
        }
        return String.join("; ", lines);
    }

    /** web-identity env, the token mount and the projected volume: what a pod needs for credentials. */
    static boolean hasCredentials(Pod pod) {
        Container container = pod.getSpec().getContainers().get(0);
        Map<String, String> env = Pods.env(container);
        boolean mount = container.getVolumeMounts().stream().anyMatch(m -> m.getName().equals("aws-iam-token")
                && m.getMountPath().equals("/var/run/secrets/eks.amazonaws.com/serviceaccount"));
        boolean volume = pod.getSpec().getVolumes().stream().anyMatch(v -> v.getName().equals("aws-iam-token")
                && v.getProjected() != null && v.getProjected().getSources().stream().anyMatch(s ->
                s.getServiceAccountToken() != null && "sts.amazonaws.com".equals(s.getServiceAccountToken().getAudience())));
        return env.containsKey("AWS_ROLE_ARN") && TOKEN_PATH.equals(env.get("AWS_WEB_IDENTITY_TOKEN_FILE"))
                && mount && volume;
    }

    /** A pod no node will run (the scheduler finds no node with the label): admission is all it goes through. */
    private static Pod churnPod(String name, String serviceAccount) {
        return new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withServiceAccountName(serviceAccount).withNodeSelector(NOWHERE)
                .addNewContainer().withName("app").withImage("local/aws-cli:1.46.3").endContainer()
                .endSpec().build();
    }

    private static String createNamespace(String name) {
        cluster.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata()
                .build()).create();
        return name;
    }

    private static void createServiceAccount(String namespace, String name, String role) {
        cluster.client().serviceAccounts().inNamespace(namespace).resource(new ServiceAccountBuilder()
                .withNewMetadata().withName(name)
                .withAnnotations(role == null ? Map.of() : Map.of("eks.amazonaws.com/role-arn", role)).endMetadata()
                .build()).create();
    }

    private static void report(String format, Object... args) {
        report.add(format.formatted(args));
    }

    private static long seconds(long startNanos) {
        return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos);
    }
}
