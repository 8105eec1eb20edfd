package io.podidentity.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Keeps the JMH harness from rotting: each benchmark runs once, briefly and in this JVM, and
 * what it measures is checked to be the real work (a patch for the pod, an allowed answer).
 */
class AdmissionBenchmarkSmokeTest {

    @Test
    void benchmarksMeasureTheRealWork() throws Exception {
        AdmissionBenchmark bench = new AdmissionBenchmark();
        bench.pod = "typical";
        bench.setUp();
        assertFalse(bench.mutate().patch().isEmpty(), "the typical pod gets a patch");
        assertTrue(bench.read().isPodCreation());
        JsonNode answer = new ObjectMapper().readTree(bench.admission()).path("response");
        assertTrue(answer.path("allowed").asBoolean(), answer.toString());
        assertTrue(answer.hasNonNull("patch"), "the answer carries the patch: " + answer);

        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(AdmissionBenchmark.class.getName())
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(100))
                .timeUnit(TimeUnit.MICROSECONDS)
                .shouldFailOnError(true)
                .build()).run();

        Set<String> ran = new TreeSet<>();
        for (RunResult result : results) {
            String label = result.getParams().getBenchmark().replaceAll(".*\\.", "") + "/" + result.getParams().getParam("pod");
            ran.add(label);
            assertTrue(result.getPrimaryResult().getScore() > 0, label + " measured nothing");
        }
        assertEquals(Set.of("admission/large", "admission/typical", "mutate/large", "mutate/typical", "read/large", "read/typical"), ran);
    }
}
