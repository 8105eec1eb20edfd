package io.podidentity.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The benchmark suite (bench/run.sh) at a tiny scale, so the harness cannot rot: it builds the
 * load generator, starts the webhook, drives every corpus pod through h2load and the Go client
 * (which fail on any wrong answer), runs JMH and the cache measurement, and writes the summary.
 */
class BenchSmokeIT {

    @Test
    void theWholeSuiteRunsAtSmokeScale() throws IOException {
        Path out = Path.of("target/bench-smoke");
        Processes.deleteRecursively(out);
        Processes.run(Duration.ofMinutes(8),
                Map.of("BENCH_PORT", Integer.toString(Webhook.freePort()), "BENCH_METRICS_PORT", Integer.toString(Webhook.freePort())),
                "bash", "bench/run.sh", "--smoke", "--no-build", "--out", out.toString())
                .requireSuccess("run bench/run.sh --smoke");

        String summary = Files.readString(out.resolve("summary.md"));
        for (String section : List.of("start to /readyz 200", "Saturation", "| typical | h2-c1-m32 |",
                "| typical | HTTP/2 | 200 |", "| typical | HTTP/1.1 | 200 |", "| near-limit | HTTP/2 | 20 |",
                "AdmissionBenchmark.mutate", "10000 ServiceAccounts")) {
            assertTrue(summary.contains(section), "summary lacks \"" + section + "\":\n" + summary);
        }
        // The pods the JMH benchmark reads are the ones the load generator writes.
        for (String pod : List.of("typical", "large")) {
            assertArrayEquals(Files.readAllBytes(Path.of("bench/corpus", pod + ".json")),
                    Files.readAllBytes(out.resolve("corpus").resolve(pod + ".json")),
                    "bench/corpus/" + pod + ".json differs from what `loadgen corpus` writes; regenerate it");
        }
    }

    /**
     * bench/side-by-side.sh at a tiny scale on its own control plane: the jar, and the native
     * executable when one is linked (the Go webhook is not built here; the script takes its
     * binary from GO_WEBHOOK).
     */
    @Test
    void sideBySideRunsAtSmokeScale() throws IOException {
        Path out = Path.of("target/bench-side-by-side-smoke");
        Processes.deleteRecursively(out);
        boolean linked = Files.isExecutable(Path.of("target/native-check/out/webhook"));
        List<String> command = new java.util.ArrayList<>(List.of("bash", "bench/side-by-side.sh", "--smoke",
                "--out", out.toString(), "jvm"));
        if (linked) {
            command.add("native");
        }
        // The script builds the control plane too; on a cold cache that alone takes longer
        // than the smoke run may, so it is built first, under its own timeout.
        ControlPlane.buildBinaries();
        Processes.run(Duration.ofMinutes(8),
                Map.of("BENCH_PORT", Integer.toString(Webhook.freePort()), "BENCH_METRICS_PORT", Integer.toString(Webhook.freePort()),
                        "PIW_NATIVE_EXECUTABLE", linked ? Path.of("target/native-check/out/webhook").toAbsolutePath().toString() : ""),
                command.toArray(String[]::new))
                .requireSuccess("run bench/side-by-side.sh --smoke");

        String summary = Files.readString(out.resolve("summary.md"));
        for (String row : List.of("| start to the first mutated answer, median of 1 interleaved rounds (range) |",
                "| start to the first mutated answer, the measured run's |", "| RSS after the load |",
                "| saturation, h2load", "| p99 at 200 req/s |", "| answers not 200 with the expected patch at 200 req/s | 0 of 400 |")) {
            assertTrue(summary.contains(row), "summary lacks \"" + row + "\":\n" + summary);
        }
        assertTrue(summary.contains("| measure | jvm" + (linked ? " | native |" : " |")), summary);
    }
}
