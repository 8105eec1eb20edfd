package io.podidentity.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
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

    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");

    private static Processes.Result run(String... args) {
        List<String> command = new ArrayList<>(List.of("java", "-jar", JAR.toString()));
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
}
