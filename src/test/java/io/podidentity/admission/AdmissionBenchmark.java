package io.podidentity.admission;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.podidentity.config.Flag;
import io.podidentity.config.WebhookConfig;
import io.podidentity.identity.ObjectsFile;
import io.podidentity.mutation.Identity;
import io.podidentity.mutation.MutationResult;
import io.podidentity.mutation.PodMutator;
import io.podidentity.mutation.PodView;
import io.podidentity.server.Components;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH benchmarks of the webhook without HTTP, on the pods of {@code bench/corpus} (written by
 * {@code bench/loadgen corpus}):
 *
 * <ul>
 *   <li>{@code mutate}: the pure mutation, {@link PodMutator#mutate}, of a pod already read;
 *   <li>{@code read}: reading the AdmissionReview's bytes into the request and pod view;
 *   <li>{@code admission}: the whole answer, bytes in, bytes out (read, resolve the
 *       ServiceAccount from the cache, mutate, write the patch and the review), without the
 *       per-decision log line (measured in the HTTP benchmarks instead).
 * </ul>
 *
 * Run by {@code bench/run.sh jmh}; {@code AdmissionBenchmarkSmokeTest} runs each once.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC", "-Xmx256m"})
public class AdmissionBenchmark {

    static final Path CORPUS = Path.of(System.getProperty("bench.corpus", "bench/corpus"));
    static final String ROLE_ARN = "arn:aws:iam::111122223333:role/bench-app";
    private static final String OBJECTS = """
            apiVersion: v1
            kind: ServiceAccount
            metadata:
              name: app
              namespace: team-a
              annotations:
                eks.amazonaws.com/role-arn: %s
                eks.amazonaws.com/sts-regional-endpoints: "true"
            """.formatted(ROLE_ARN);

    @Param({"typical", "large"})
    public String pod;

    private byte[] review;
    private PodView view;
    private Identity identity;
    private PodMutator mutator;
    private AdmissionReviews reviews;
    private AdmissionHandler handler;

    @Setup
    public void setUp() {
        // The decision log line is not part of these numbers (see the class comment).
        Logger.getLogger(AdmissionHandler.class.getName()).setLevel(Level.WARNING);
        WebhookConfig config = WebhookConfig.defaults();
        ObjectMapper json = new ObjectMapper();
        try {
            review = Files.readAllBytes(CORPUS.resolve(pod + ".json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        reviews = new AdmissionReviews(json);
        view = reviews.read(review).object().pod();
        identity = new Identity.WebIdentity(ROLE_ARN, "sts.amazonaws.com", true, 86400);
        mutator = Components.newPodMutator(config);
        ObjectsFile objects = ObjectsFile.parse(OBJECTS.getBytes(StandardCharsets.UTF_8), config.string(Flag.ANNOTATION_PREFIX),
                config.string(Flag.NAMESPACE));
        handler = Components.newOfflineAdmissionHandler(config, objects, null, json);
    }

    @Benchmark
    public MutationResult mutate() {
        return mutator.mutate(view, identity);
    }

    @Benchmark
    public AdmissionRequest read() {
        return reviews.read(review);
    }

    @Benchmark
    public byte[] admission() {
        return handler.handle(review).toCompletableFuture().join();
    }
}
