package io.podidentity.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.zjsonpatch.JsonPatch;
import io.podidentity.config.WebhookConfig;
import io.podidentity.mutation.Identity;
import io.podidentity.mutation.MutationResult;
import io.podidentity.mutation.MutationSettings;
import io.podidentity.mutation.PatchOperation;
import io.podidentity.mutation.PodMutator;
import io.podidentity.mutation.PodView;
import io.podidentity.mutation.TokenMount;
import io.podidentity.server.Components;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Walks {@code src/test/resources/mutation/*.yaml}: each file describes one scenario (settings,
 * resolved identity, the pod in, the pod expected out, the warnings expected). The pod goes
 * through the same path as an admission request: JSON → {@link PodViews} → {@link PodMutator} →
 * JSON Patch, which is applied to the input to get the resulting pod.
 *
 * <p>Optional keys: {@code expectNoPatch: true} when the pod must be answered without a patch, and
 * {@code expectedPatchPaths}, the JSON Pointers of the operations in order, for scenarios where the
 * resulting pod alone cannot tell a redundant operation from none (re-adding an existing label).
 */
class MutationFixturesTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DIR = Path.of("src/test/resources/mutation");

    static Stream<Path> fixtures() throws IOException {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void resultingPodMatchesFixture(Path file) throws IOException {
        JsonNode fixture = YAML.readTree(file.toFile());
        PodMutator mutator = new PodMutator(settings(fixture.path("settings")), fixedRandom(fixture.path("random").asLong(0)));
        JsonNode pod = fixture.get("pod");

        MutationResult result = mutator.mutate(podView(pod), identity(fixture.get("identity")));

        String description = file.getFileName() + ": " + fixture.path("description").asText();
        JsonNode patch = JSON.readTree(new AdmissionReviews(JSON).patchBytes(result.patch()));
        for (PatchOperation op : result.patch()) {
            assertEquals("add", op.op(), description + ": only additive operations");
        }
        JsonNode resulting = result.patch().isEmpty() ? pod : JsonPatch.apply(patch, pod);
        assertEquals(pretty(fixture.get("expected")), pretty(resulting), description);
        assertEquals(strings(fixture.path("warnings")), result.warnings(), description + ": warnings");
        if (fixture.has("expectedPatchPaths")) {
            List<String> paths = result.patch().stream().map(PatchOperation::path).toList();
            assertEquals(strings(fixture.get("expectedPatchPaths")), paths, description + ": patch paths");
        }
        if (fixture.path("expectNoPatch").asBoolean(false)) {
            assertTrue(result.patch().isEmpty(), description + ": no patch expected, got " + patch);
        }
        // Idempotency: mutating the result again changes nothing.
        MutationResult again = mutator.mutate(podView(resulting), identity(fixture.get("identity")));
        assertEquals(List.of(), again.patch(), description + ": a second mutation must be a no-op");
    }

    /** The pod as the admission path reads it: from its JSON tokens. */
    static PodView podView(JsonNode pod) throws IOException {
        try (JsonParser p = JSON.treeAsTokens(pod)) {
            p.nextToken();
            PodObject object = PodViews.read(p);
            if (object.problem() != null) {
                throw new IllegalArgumentException(object.problem());
            }
            return object.pod();
        }
    }

    private static String pretty(JsonNode node) throws IOException {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
    }

    private static List<String> strings(JsonNode array) {
        List<String> list = new ArrayList<>();
        array.forEach(n -> list.add(n.asText()));
        return list;
    }

    private static MutationSettings settings(JsonNode node) {
        MutationSettings d = Components.mutationSettings(WebhookConfig.defaults());
        return new MutationSettings(
                node.path("annotationPrefix").asText(d.annotationPrefix()),
                node.path("region").asText(d.region()),
                new TokenMount(d.webIdentity().volumeName(), node.path("tokenMountPath").asText(d.webIdentity().mountPath()),
                        d.webIdentity().tokenPath()),
                d.containerCredentials(),
                d.containerCredentialsAudience(),
                d.containerCredentialsFullUri());
    }

    private static Identity identity(JsonNode node) {
        String mode = node.path("mode").asText("web-identity");
        boolean regional = node.path("regionalSts").asBoolean(false);
        long lifetime = node.path("tokenExpiration").asLong(86400);
        if (mode.equals("container-credentials")) {
            return new Identity.ContainerCredentials(regional, lifetime);
        }
        return new Identity.WebIdentity(
                node.path("roleArn").asText(), node.path("audience").asText("sts.amazonaws.com"), regional, lifetime);
    }

    /** A random source whose bounded draws always give {@code value}, so jitter is predictable. */
    private static RandomGenerator fixedRandom(long value) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                return value;
            }

            @Override
            public long nextLong(long origin, long bound) {
                if (value < origin || value >= bound) {
                    throw new AssertionError("fixture random " + value + " outside [" + origin + ", " + bound + ")");
                }
                return value;
            }
        };
    }
}
