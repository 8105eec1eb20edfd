package io.podidentity.e2e;

import io.fabric8.kubernetes.api.model.Pod;
import io.podidentity.testing.TlsContexts;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * What operators do to a running webhook, done to the Deployment of {@code deploy/} on the real
 * node, each returning how long it took until the webhook was whole again.
 */
final class Disruptions {

    static final String RESTART = "rollout restart";
    static final String RENEWAL = "certificate renewal";
    static final String KILL = "SIGKILL";
    private static final String DEPLOYMENT = "pod-identity-webhook";
    /** Admissions requested this soon after a window's end are still counted in it. */
    private static final Duration SLACK = Duration.ofSeconds(2);
    /** ... and this soon before its start: still in flight when it began (a kill resets them). */
    private static final Duration IN_FLIGHT = Duration.ofSeconds(1);

    /** When a disruption lasted, and what it measured. */
    record Window(String name, Instant start, Instant end, String summary) {

        boolean covers(Instant requested) {
            return !requested.isBefore(start.minus(IN_FLIGHT)) && !requested.isAfter(end.plus(SLACK));
        }
    }

    private final ControlPlane cluster;
    private final String namespace;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    Disruptions(ControlPlane cluster, String namespace) {
        this.cluster = cluster;
        this.namespace = namespace;
    }

    /** {@code kubectl rollout restart}, until the rollout is complete. */
    Window rolloutRestart() {
        Instant begin = Instant.now();
        long start = System.nanoTime();
        cluster.kubectl("-n", namespace, "rollout", "restart", "deploy/" + DEPLOYMENT).requireSuccess("rollout restart");
        cluster.kubectl(Duration.ofMinutes(5), "-n", namespace, "rollout", "status", "deploy/" + DEPLOYMENT,
                "--timeout=280s").requireSuccess("wait for the restarted rollout");
        return new Window(RESTART, begin, Instant.now(), "complete after %.1f s".formatted(secondsSince(start)));
    }

    /**
     * Makes the serving certificate short-lived (1 h, renewed 20 s after issuance, the shortest
     * cert-manager allows), waits until cert-manager has re-issued it and until every replica
     * serves the new certificate, which reaches it only through the kubelet's update of the
     * Secret volume; then restores the install's duration.
     */
    Window renewCertificate() throws Exception {
        BigInteger before = secretSerial();
        Instant begin = Instant.now();
        long start = System.nanoTime();
        patchCertificate("1h", "59m40s");
        Poll.until(Duration.ofSeconds(60), "cert-manager to re-issue the serving certificate",
                () -> !secretSerial().equals(before));
        double issued = secondsSince(start);
        Poll.until(Duration.ofSeconds(180), "every replica to serve a renewed certificate", () -> {
            for (Pod pod : pods()) {
                if (servedSerial(pod.getStatus().getPodIP()).equals(before)) {
                    return false;
                }
            }
            return true;
        });
        double served = secondsSince(start);
        patchCertificate("2160h", "720h");
        return new Window(RENEWAL, begin, Instant.now(),
                "re-issued %.1f s after the Certificate was shortened, served by every replica after %.1f s"
                        .formatted(issued, served));
    }

    /**
     * SIGKILLs the webhook container of the replica that answered the most admissions in the last
     * two seconds (the one the API server's connection is on), and waits until the kubelet has
     * restarted it and it is Ready again. The window is the time its dead endpoint stayed ready
     * in the Service's EndpointSlice, where kube-proxy could still route to it.
     */
    Window killBusiestReplica() throws Exception {
        List<Pod> pods = pods();
        Map<String, Double> first = new HashMap<>();
        for (Pod pod : pods) {
            first.put(pod.getMetadata().getName(), mutateRequests(pod));
        }
        Thread.sleep(2_000);
        Pod busiest = pods.get(0);
        double most = -1;
        for (Pod pod : pods) {
            double delta = mutateRequests(pod) - first.get(pod.getMetadata().getName());
            if (delta > most) {
                most = delta;
                busiest = pod;
            }
        }
        String name = busiest.getMetadata().getName();
        int restarts = busiest.getStatus().getContainerStatuses().get(0).getRestartCount();
        String ip = busiest.getStatus().getPodIP();
        long pid = containerPid(cluster, busiest);
        Instant begin = Instant.now();
        long start = System.nanoTime();
        Processes.run(Duration.ofSeconds(10), null, "kill", "-KILL", Long.toString(pid)).requireSuccess("kill -KILL " + pid);
        Poll.until(Duration.ofSeconds(60), "the EndpointSlice to drop " + ip, () -> !readyEndpoint(ip));
        Instant dropped = Instant.now();
        double droppedAfter = secondsSince(start);
        Poll.until(Duration.ofSeconds(120), name + " restarted and Ready", () -> {
            Pod pod = cluster.client().pods().inNamespace(namespace).withName(name).get();
            var status = pod.getStatus().getContainerStatuses().get(0);
            return status.getRestartCount() > restarts && Boolean.TRUE.equals(status.getReady());
        });
        return new Window(KILL, begin, dropped,
                "%s (%.0f admissions in the 2 s before) killed at %s, dropped from the EndpointSlice after %.1f s, "
                        .formatted(name, most, begin, droppedAfter)
                        + "restarted and Ready after %.1f s".formatted(secondsSince(start)));
    }

    /** The host PID of a pod's first container, from containerd. */
    static long containerPid(ControlPlane cluster, Pod pod) {
        String id = pod.getStatus().getContainerStatuses().get(0).getContainerID().replaceFirst("^containerd://", "");
        String tasks = Processes.run(Duration.ofSeconds(20), null, "ctr", "--address", cluster.env("CONTAINERD_SOCKET"),
                "-n", "k8s.io", "tasks", "ls").requireSuccess("list containerd's tasks").stdout();
        for (String line : tasks.split("\n")) {
            String[] columns = line.trim().split("\\s+");
            if (columns.length >= 2 && columns[0].equals(id)) {
                return Long.parseLong(columns[1]);
            }
        }
        throw new IllegalStateException("no containerd task " + id + " of " + pod.getMetadata().getName() + ":\n" + tasks);
    }

    /** {@code /proc/PID/status} as field → value. */
    static Map<String, String> procStatus(long pid) {
        try {
            Map<String, String> fields = new LinkedHashMap<>();
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    fields.put(line.substring(0, colon), line.substring(colon + 1).strip());
                }
            }
            return fields;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/" + pid + "/status", e);
        }
    }

    /** Whether the process maps {@code file} ({@code /proc/PID/maps}: paths as the process sees them). */
    static boolean mapsFile(long pid, String file) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(pid), "maps")).stream()
                    .anyMatch(line -> line.endsWith(" " + file));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/" + pid + "/maps", e);
        }
    }

    private List<Pod> pods() {
        return cluster.client().pods().inNamespace(namespace).withLabel("app.kubernetes.io/name", DEPLOYMENT).list()
                .getItems().stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    }

    /** Is {@code ip} a ready endpoint of the webhook's Service? */
    private boolean readyEndpoint(String ip) {
        return cluster.client().discovery().v1().endpointSlices().inNamespace(namespace)
                .withLabel("kubernetes.io/service-name", DEPLOYMENT).list().getItems().stream()
                .flatMap(slice -> slice.getEndpoints().stream())
                .anyMatch(e -> e.getAddresses().contains(ip) && Boolean.TRUE.equals(e.getConditions().getReady()));
    }

    private void patchCertificate(String duration, String renewBefore) {
        cluster.kubectl("-n", namespace, "patch", "certificate", DEPLOYMENT, "--type=merge", "-p",
                "{\"spec\":{\"duration\":\"%s\",\"renewBefore\":\"%s\"}}".formatted(duration, renewBefore))
                .requireSuccess("patch the Certificate to " + duration);
    }

    private BigInteger secretSerial() throws GeneralSecurityException {
        String pem = cluster.kubectl("-n", namespace, "get", "secret", DEPLOYMENT + "-cert", "-o",
                "jsonpath={.data.tls\\.crt}").requireSuccess("read the serving certificate").stdout().strip();
        return ((X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(pem)))).getSerialNumber();
    }

    /** The serial of the certificate a replica presents on its webhook port (read, not trusted). */
    private static BigInteger servedSerial(String podIp) throws Exception {
        SSLContext context = TlsContexts.trustingAnything();
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress(podIp, 8443), 2_000);
            socket.setSoTimeout(2_000);
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

    /** POSTs JSON over HTTPS without verifying the server (tests that read what a replica answers). */
    static String postInsecurely(String url, String json) throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(TlsContexts.trustingAnything()).connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /** The replica's {@code http_request_count} for {@code /mutate}, from its metrics port. */
    private double mutateRequests(Pod pod) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://" + pod.getStatus().getPodIP() + ":9999/metrics"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        double total = 0;
        for (String line : response.body().split("\n")) {
            if (line.startsWith("http_request_count") && line.contains("path=\"/mutate\"")) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }

    private static double secondsSince(long startNanos) {
        return (System.nanoTime() - startNanos) / (double) TimeUnit.SECONDS.toNanos(1);
    }
}
