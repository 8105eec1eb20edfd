package io.podidentity.e2e;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The etcd + kube-apiserver of {@code e2e/controlplane}, started once per test run (see
 * {@link ControlPlaneExtension}) and stopped when the run ends, by the extension or, if the JVM
 * is ending some other way, by a shutdown hook. No controller-manager, scheduler or kubelet:
 * pods stay Pending and namespaces get no {@code default} ServiceAccount.
 */
public final class ControlPlane implements AutoCloseable {

    /** {@code e2e/controlplane}, relative to the project directory Maven runs tests in. */
    static final Path SCRIPTS = Path.of("e2e", "controlplane").toAbsolutePath();
    private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(40);

    private final Path dir;
    private final Map<String, String> env;
    private final KubernetesClient client;
    private final Thread shutdownHook;
    private boolean stopped;

    private ControlPlane(Path dir, Map<String, String> env) {
        this.dir = dir;
        this.env = env;
        this.client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig().toFile())).build();
        this.shutdownHook = new Thread(this::stopQuietly, "e2e-control-plane-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Builds the binaries (a no-op when cached) and starts a fresh control plane in {@code dir},
     * first stopping whatever an earlier, killed run may have left running there.
     */
    static ControlPlane start(Path dir) {
        Path bin = Path.of(lastLine(Processes.run(SCRIPT_TIMEOUT, null, SCRIPTS.resolve("build.sh").toString())
                .requireSuccess("build the control plane").stdout()));
        Processes.run(Duration.ofMinutes(1), null, SCRIPTS.resolve("stop.sh").toString(), dir.toString())
                .requireSuccess("stop a leftover control plane");
        Processes.deleteRecursively(dir);
        Processes.run(Duration.ofMinutes(3), Map.of("PIW_CONTROLPLANE_BIN", bin.toString()),
                SCRIPTS.resolve("start.sh").toString(), dir.toString()).requireSuccess("start the control plane");
        return new ControlPlane(dir, readEnv(dir.resolve("env")));
    }

    /** A client with the admin certificate (group {@code system:masters}). */
    public KubernetesClient client() {
        return client;
    }

    public Path kubeconfig() {
        return dir.resolve("admin.kubeconfig");
    }

    /** The issuer the API server puts into service-account tokens. */
    public String issuer() {
        return env.get("SERVICE_ACCOUNT_ISSUER");
    }

    /** Runs the kubectl built with the API server, as the admin; never throws on a non-zero exit. */
    public Processes.Result kubectl(String... args) {
        List<String> command = new ArrayList<>(List.of(env.get("KUBECTL"), "--kubeconfig=" + kubeconfig()));
        command.addAll(List.of(args));
        return Processes.run(Duration.ofMinutes(1), null, command.toArray(String[]::new));
    }

    /** GETs an API path as raw JSON text, bypassing every client-side model ({@code kubectl get --raw}). */
    public String rawGet(String path) {
        return kubectl("get", "--raw", path).requireSuccess("GET " + path).stdout();
    }

    /** POSTs raw JSON text to an API path and returns the server's answer as text. */
    public String rawCreate(String path, String json) {
        try {
            Path file = Files.createTempFile("e2e-", ".json");
            try {
                Files.writeString(file, json);
                return kubectl("create", "--raw", path, "-f", file.toString()).requireSuccess("POST " + path).stdout();
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates a namespace named after {@code prefix} plus a random suffix, and returns its name. */
    public String createNamespace(String prefix) {
        String base = prefix.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9-]", "-");
        base = base.substring(0, Math.min(base.length(), 50)).replaceAll("-+$", "");
        String name = base + "-" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20, 1 << 25), 36);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                .create();
        return name;
    }

    /**
     * Stops and starts kube-apiserver at the same address on the same etcd data, as a rolling
     * control-plane upgrade does; watches on it are cut.
     */
    public void restartApiServer() {
        Processes.run(Duration.ofMinutes(1), null, SCRIPTS.resolve("stop.sh").toString(), dir.toString(), "apiserver")
                .requireSuccess("stop kube-apiserver");
        Processes.run(Duration.ofMinutes(3), Map.of("PIW_CONTROLPLANE_BIN", env.get("CONTROLPLANE_BIN")),
                SCRIPTS.resolve("start.sh").toString(), dir.toString()).requireSuccess("start kube-apiserver again");
    }

    /** The tail of the API server's log, for assertion messages. */
    public String apiServerLogTail() {
        return Processes.tail(dir.resolve("kube-apiserver.log"), 40);
    }

    @Override
    public synchronized void close() {
        if (stopped) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // Called from the hook itself.
        }
        stopQuietly();
    }

    private synchronized void stopQuietly() {
        if (stopped) {
            return;
        }
        stopped = true;
        client.close();
        Processes.Result result = Processes.run(Duration.ofMinutes(1), null,
                SCRIPTS.resolve("stop.sh").toString(), dir.toString());
        if (result.exitCode() != 0) {
            System.err.println("control plane in " + dir + " did not stop cleanly:\n" + result.stderr());
        }
    }

    private static Map<String, String> readEnv(Path file) {
        Map<String, String> values = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                int eq = line.indexOf('=');
                if (!line.startsWith("#") && eq > 0) {
                    values.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " written by start.sh", e);
        }
        return values;
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\n");
        return lines[lines.length - 1].strip();
    }
}
