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
 * A cluster the tests run against, stopped when the run ends (by its owner or, if the JVM is
 * ending some other way, by a shutdown hook). Two kinds:
 * <ul>
 *   <li>{@link #start}: the etcd + kube-apiserver of {@code e2e/controlplane} on loopback, one per
 *       test run (see {@link ControlPlaneExtension}). No controller-manager, scheduler or kubelet:
 *       pods stay Pending and namespaces get no {@code default} ServiceAccount.</li>
 *   <li>{@link #startWithNode}: the one-node cluster of {@code e2e/node}, where pods run.</li>
 * </ul>
 */
public final class ControlPlane implements AutoCloseable {

    /** {@code e2e/controlplane}, relative to the project directory Maven runs tests in. */
    static final Path SCRIPTS = Path.of("e2e", "controlplane").toAbsolutePath();
    /** {@code e2e/node}: the control plane plus a node on this machine. */
    static final Path NODE_SCRIPTS = Path.of("e2e", "node").toAbsolutePath();
    private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(40);

    private final Path dir;
    private final Path stopScript;
    private final Map<String, String> env;
    private final KubernetesClient client;
    private final Thread shutdownHook;
    private boolean stopped;

    private ControlPlane(Path dir, Path stopScript, Map<String, String> env) {
        this.dir = dir;
        this.stopScript = stopScript;
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
        return start(SCRIPTS, dir, Map.of());
    }

    /**
     * Builds the binaries (a no-op when cached) and starts the one-node cluster of
     * {@code e2e/node} in {@code dir}, importing the image archives of {@code imageArchives}
     * into its containerd. Needs root.
     */
    static ControlPlane startWithNode(Path dir, Path imageArchives) {
        return start(NODE_SCRIPTS, dir, Map.of("PIW_IMAGE_ARCHIVES", imageArchives.toString()));
    }

    /**
     * Builds the cluster's binaries from their Go modules, a no-op when cached (cold: many
     * minutes), and returns their directory.
     */
    static String buildBinaries() {
        return lastLine(Processes.run(SCRIPT_TIMEOUT, null, SCRIPTS.resolve("build.sh").toString())
                .requireSuccess("build the control plane").stdout());
    }

    private static ControlPlane start(Path scripts, Path dir, Map<String, String> env) {
        String bin = buildBinaries();
        Processes.run(Duration.ofMinutes(2), null, scripts.resolve("stop.sh").toString(), dir.toString())
                .requireSuccess("stop a leftover cluster");
        Processes.deleteRecursively(dir);
        Map<String, String> startEnv = new LinkedHashMap<>(env);
        startEnv.put("PIW_CONTROLPLANE_BIN", bin);
        Processes.run(Duration.ofMinutes(5), startEnv, scripts.resolve("start.sh").toString(), dir.toString())
                .requireSuccess("start the cluster (" + scripts.getFileName() + "/start.sh)");
        return new ControlPlane(dir, scripts.resolve("stop.sh"), readEnv(dir.resolve("env")));
    }

    /** A value {@code start.sh} wrote into {@code DIR/env} (ports, paths, the node's address). */
    public String env(String name) {
        String value = env.get(name);
        if (value == null) {
            throw new IllegalStateException(name + " is not in " + dir.resolve("env"));
        }
        return value;
    }

    /** The directory of the cluster's state and logs. */
    public Path dir() {
        return dir;
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
        return kubectl(Duration.ofMinutes(1), args);
    }

    /** {@link #kubectl(String...)} for commands that wait longer than a minute ({@code rollout status}). */
    public Processes.Result kubectl(Duration timeout, String... args) {
        List<String> command = new ArrayList<>(List.of(env.get("KUBECTL"), "--kubeconfig=" + kubeconfig()));
        command.addAll(List.of(args));
        return Processes.run(timeout, null, command.toArray(String[]::new));
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
        Processes.Result result = Processes.run(Duration.ofMinutes(2), null, stopScript.toString(), dir.toString());
        if (result.exitCode() != 0) {
            System.err.println("cluster in " + dir + " did not stop cleanly:\n" + result.stderr());
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
