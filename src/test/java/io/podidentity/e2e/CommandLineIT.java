package io.podidentity.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.podidentity.testing.Waiting;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The packaged jar's command line: help, version, and one clear line (exit 2) for bad settings. */
class CommandLineIT {

    private static Processes.Result run(String... args) {
        List<String> command = new ArrayList<>(Launcher.command());
        command.addAll(List.of(args));
        return Processes.run(Duration.ofSeconds(60), Map.of(), command.toArray(String[]::new));
    }

    @Test
    void helpListsUpstreamFlagsAndExitsZero() {
        Processes.Result result = run("--help");
        assertEquals(0, result.exitCode(), result.stderr());
        for (String flag : List.of("--annotation-prefix", "--service-account-lookup-grace-period",
                "--watch-container-credentials-config", "--objects-file", "-v")) {
            assertTrue(result.stdout().contains(flag), "help lists " + flag);
        }
    }

    @Test
    void versionPrintsTheProjectVersion() {
        Processes.Result result = run("--version");
        assertEquals(0, result.exitCode());
        assertTrue(result.stdout().startsWith("pod-identity-webhook "), result.stdout());
    }

    @Test
    void anEnvironmentVariableIsTheSettingAndTheCommandLineWinsOverIt() {
        String objects = "--objects-file=examples/objects.yaml";
        List<String> command = new ArrayList<>(Launcher.command());
        command.add(objects);
        Processes.Result bad = Processes.run(Duration.ofSeconds(60), Map.of("WEBHOOK_LOG_FORMAT", "xml"),
                command.toArray(String[]::new));
        assertEquals(2, bad.exitCode(), bad.stderr());
        assertTrue(bad.stderr().contains("error: webhook.log-format (WEBHOOK_LOG_FORMAT): \"xml\" is not a log format"),
                bad.stderr());

        command.addAll(List.of("--port=9443", "--metrics-port=9443"));
        Processes.Result overridden = Processes.run(Duration.ofSeconds(60),
                Map.of("WEBHOOK_PORT", "not-a-port", "WEBHOOK_METRICS_PORT", "not-a-port"), command.toArray(String[]::new));
        assertEquals(2, overridden.exitCode(), overridden.stderr());
        assertTrue(overridden.stderr().contains("error: --port and --metrics-port are both 9443; they must differ"),
                "the flags, not the variables, were checked: " + overridden.stderr());
    }

    /** Held open for the whole class: a port "another process" listens on. */
    private static final ServerSocket taken = listening();

    private static ServerSocket listening() {
        try {
            return new ServerSocket(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Stream<Arguments> badSettings() {
        String objects = "--objects-file=examples/objects.yaml";
        return Stream.of(
                Arguments.argumentSet("an unknown flag", List.of("--portt=1"), "error: unknown flag: --portt"),
                Arguments.argumentSet("a port that is not a number", List.of(objects, "--port=abc"), "error: --port"),
                Arguments.argumentSet("the same port twice", List.of(objects, "--port=9443", "--metrics-port=9443"),
                        "error: --port and --metrics-port are both 9443; they must differ"),
                Arguments.argumentSet("an unknown cipher suite", List.of(objects, "--tls-cipher-suites=TLS_NOPE"),
                        "error: --tls-cipher-suites: unknown cipher suite \"TLS_NOPE\""),
                Arguments.argumentSet("a missing kubeconfig", List.of("--kubeconfig=/nonexistent/kubeconfig"),
                        "error: --kubeconfig /nonexistent/kubeconfig: file does not exist or cannot be read"),
                Arguments.argumentSet("a missing objects file", List.of("--objects-file=/nonexistent.yaml"),
                        "error: --objects-file /nonexistent.yaml: cannot be read"),
                Arguments.argumentSet("a certificate file that does not exist",
                        List.of(objects, "--tls-cert=/nonexistent.crt", "--tls-key=/nonexistent.key"),
                        "error: --tls-cert /nonexistent.crt: file does not exist"),
                Arguments.argumentSet("cluster mode without certificate files (never a self-signed one)",
                        List.of("--kubeconfig=pom.xml", "--port=" + Webhook.freePort(), "--metrics-port=" + Webhook.freePort()),
                        "error: no serving certificate: /etc/webhook/certs/tls.crt and /etc/webhook/certs/tls.key do not exist"),
                Arguments.argumentSet("a port another process listens on", List.of(objects, "--port=" + taken.getLocalPort()),
                        "error: --port " + taken.getLocalPort() + ": cannot listen on 0.0.0.0:" + taken.getLocalPort()),
                Arguments.argumentSet("composed role ARNs with a malformed account",
                        List.of(objects, "--compose-role-arn", "--aws-account-id=12"),
                        "error: --aws-account-id: \"12\" is not a 12-digit AWS account id"));
    }

    @ParameterizedTest
    @MethodSource("badSettings")
    void badSettingStopsStartupWithOneLineNamingIt(List<String> args, String expected) {
        Processes.Result result = run(args.toArray(String[]::new));

        assertEquals(2, result.exitCode(), result.stderr());
        List<String> errors = result.stderr().lines().filter(l -> l.startsWith("error: ")).toList();
        assertEquals(1, errors.size(), result.stderr());
        assertTrue(errors.get(0).startsWith(expected), errors.get(0));
        assertTrue(!result.stderr().contains("\tat "), "no stack trace: " + result.stderr());
    }

    /**
     * Upstream's own manifests pass no --port (443) and run their image as root; this image runs
     * as 65534, where binding 443 is refused. The one line says why and what to change.
     */
    @Test
    void aPrivilegedPortAsAnUnprivilegedUserNamesTheCauseAndTheFixes() throws IOException {
        List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
        command.addAll(Launcher.commandForAnyUser());
        Path objects = Files.copy(Path.of("examples/objects.yaml"), Launcher.directoryForAnyUser().resolve("objects.yaml"));
        Files.setPosixFilePermissions(objects, PosixFilePermissions.fromString("r--r--r--"));
        command.addAll(List.of("--objects-file=" + objects, "--port=443"));
        Processes.Result result = Processes.run(Duration.ofSeconds(60), Map.of(), command.toArray(String[]::new));

        assertEquals(2, result.exitCode(), result.stderr());
        String error = result.stderr().lines().filter(l -> l.startsWith("error: ")).findFirst().orElse(result.stderr());
        assertTrue(error.startsWith("error: --port 443: permission denied: binding a port below 1024 needs root or "
                + "CAP_NET_BIND_SERVICE"), error);
        assertTrue(error.contains("this process runs as UID 65534") && error.contains("--port=8443")
                && error.contains("enable_unprivileged_ports"), error);
    }

    @Test
    void inClusterModeNoticeSaysTheCertificateComesFromFiles() {
        String notice = "notice: --in-cluster=true: upstream's certificate-signing-request mode is not supported";
        Processes.Result cluster = run("--in-cluster=true", "--kubeconfig=/nonexistent/kubeconfig");
        assertEquals(2, cluster.exitCode(), cluster.stderr());
        assertTrue(cluster.stderr().contains(notice), cluster.stderr());

        Processes.Result standalone = run("--in-cluster=true", "--objects-file=/nonexistent.yaml");
        assertEquals(2, standalone.exitCode(), standalone.stderr());
        assertFalse(standalone.stderr().contains(notice), "no notice in standalone mode: " + standalone.stderr());
    }

    @Test
    void logFormatJsonWritesEveryLogLineAsJson() throws Exception {
        Path out = Files.createTempFile("webhook-json-", ".log");
        Path certs = Files.createTempDirectory("webhook-json-certs-");
        List<String> command = new ArrayList<>(Launcher.command());
        command.addAll(List.of("--log-format=json", "--objects-file=examples/objects.yaml", "--self-signed-cert-dir=" + certs,
                "--port=" + Webhook.freePort(), "--metrics-port=" + Webhook.freePort()));
        Process webhook = new ProcessBuilder(command)
                .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            // Whether it logged in time is asserted below, on the whole log once the process is gone.
            Waiting.within(Duration.ofSeconds(60), Duration.ofMillis(100), () -> {
                if (Files.readString(out).contains("standalone mode")) {
                    return true;
                }
                assertTrue(webhook.isAlive(), "the webhook exited: " + Files.readString(out));
                return false;
            });
        } finally {
            webhook.destroy();
            webhook.waitFor();
            Processes.deleteRecursively(certs);
        }
        List<String> lines = Files.readAllLines(out).stream().filter(l -> !l.isBlank()).toList();
        Files.delete(out);
        assertTrue(lines.stream().anyMatch(l -> l.contains("standalone mode")), "startup logged: " + lines);
        ObjectMapper json = new ObjectMapper();
        for (String line : lines) {
            JsonNode entry = json.readTree(line);
            assertTrue(entry.hasNonNull("level") && entry.hasNonNull("message"), "a JSON log entry: " + line);
        }
    }

}
