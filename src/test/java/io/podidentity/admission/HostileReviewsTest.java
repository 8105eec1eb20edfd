package io.podidentity.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.zjsonpatch.JsonPatch;
import io.podidentity.config.Flag;
import io.podidentity.config.WebhookConfig;
import io.podidentity.identity.ObjectsFile;
import io.podidentity.server.Components;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Whatever bytes arrive, the admission path answers (SPEC §3): within a second, with an
 * AdmissionReview that is allowed, or denied with a message; never an exception, a hang or an
 * internal-failure warning. Two ways of looking for a body that breaks this:
 *
 * <ul>
 *   <li>{@link #anyBodyGetsAnAnswer}: a coverage-guided fuzz target (Jazzer) over the review
 *       reader and the handler, seeded with the reviews in {@code HostileReviewsTestInputs}. In
 *       the plain test run it replays its seeds; the {@code fuzz} execution of {@code ./mvnw
 *       verify} fuzzes it briefly; {@code CONTRIBUTING.md} gives the command for a long run.
 *   <li>{@link #everyFieldOfThePodWithEveryWrongType}: each value of a full pod review, at every
 *       level, replaced in turn by each JSON type it does not have.
 * </ul>
 *
 * The oracle is the same for both ({@link #assertAnswered}): the reader either reads the review
 * or says why not; the answer is a well-formed AdmissionReview with the request's uid and
 * apiVersion (v1 when the review's own is not a string); a denial has a message; a patch is a JSON Patch that applies to the pod that came
 * in.
 */
class HostileReviewsTest {

    private static final Path SEEDS = Path.of("src/test/resources/io/podidentity/admission/HostileReviewsTestInputs/anyBodyGetsAnAnswer");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final WebhookConfig CONFIG = WebhookConfig.defaults();
    /** One ServiceAccount per identity source, all in {@code default}: role-arn, ConfigMap, container credentials. */
    private static final AdmissionHandler HANDLER = Components.newOfflineAdmissionHandler(CONFIG,
            ObjectsFile.parse(resource(Path.of("src/test/resources/http/objects.yaml")), CONFIG.string(Flag.ANNOTATION_PREFIX), "webhook"),
            "{\"identities\": [{\"namespace\": \"default\", \"serviceAccount\": \"creds\"}]}".getBytes(StandardCharsets.UTF_8),
            JSON);
    private static final AdmissionReviews REVIEWS = new AdmissionReviews(JSON);

    private static final Logger DECISIONS = Logger.getLogger(AdmissionHandler.class.getName());
    private static Level decisionsLevel;

    @BeforeAll
    static void quietDecisions() {
        // A million executions would write a million decision lines; other tests in this JVM read them.
        decisionsLevel = DECISIONS.getLevel();
        DECISIONS.setLevel(Level.OFF);
    }

    @AfterAll
    static void restoreDecisions() {
        DECISIONS.setLevel(decisionsLevel);
    }

    @FuzzTest(maxDuration = "10s")
    void anyBodyGetsAnAnswer(byte[] body) throws Exception {
        assertAnswered(body);
    }

    @TestFactory
    Stream<DynamicTest> everyFieldOfThePodWithEveryWrongType() {
        ObjectNode review = (ObjectNode) tree(resource(SEEDS.resolve("role-arn-every-field.json")));
        List<JsonPointer> pointers = new ArrayList<>();
        collectPointers(review, JsonPointer.empty(), pointers);
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonPointer pointer : pointers) {
            JsonNode original = review.at(pointer);
            for (Map.Entry<String, JsonNode> wrong : WRONG_VALUES.entrySet()) {
                if (wrong.getValue().getNodeType() == original.getNodeType()) {
                    continue;
                }
                ObjectNode changed = review.deepCopy();
                replace(changed, pointer, wrong.getValue());
                byte[] body = changed.toString().getBytes(StandardCharsets.UTF_8);
                tests.add(DynamicTest.dynamicTest(pointer + " as " + wrong.getKey(), () -> assertAnswered(body)));
            }
        }
        assertTrue(tests.size() > 500, "the review should have a few hundred fields, found " + pointers.size());
        return tests.stream();
    }

    private static final Map<String, JsonNode> WRONG_VALUES = Map.of(
            "string", JsonNodeFactory.instance.textNode("x"),
            "number", JsonNodeFactory.instance.numberNode(-1.5e300),
            "boolean", JsonNodeFactory.instance.booleanNode(true),
            "null", JsonNodeFactory.instance.nullNode(),
            "array", JsonNodeFactory.instance.arrayNode().add("x").add(1).addObject(),
            "object", JsonNodeFactory.instance.objectNode().put("name", 1).set("env", JsonNodeFactory.instance.arrayNode()));

    /** What must hold for any body: see the class comment. */
    static void assertAnswered(byte[] body) throws Exception {
        AdmissionRequest request = null;
        try {
            request = REVIEWS.read(body);
        } catch (BadReviewException unusable) {
            assertFalse(unusable.getMessage() == null || unusable.getMessage().isBlank(), "a bad review must say why");
        }
        byte[] answer = HANDLER.handle(body).toCompletableFuture().get(1, TimeUnit.SECONDS);
        JsonNode review = JSON.readTree(answer);
        assertEquals("AdmissionReview", review.path("kind").asText(), "kind of " + review);
        JsonNode response = review.path("response");
        assertTrue(response.path("allowed").isBoolean(), "allowed in " + review);
        assertTrue(response.path("uid").isTextual(), "uid in " + review);
        if (request == null) {
            assertFalse(response.path("allowed").asBoolean(), "an unreadable review is denied: " + review);
        } else {
            String apiVersion = request.apiVersion().isEmpty() ? AdmissionReviews.DEFAULT_API_VERSION : request.apiVersion();
            assertEquals(apiVersion, review.path("apiVersion").asText(), "apiVersion of " + review);
            assertEquals(request.uid(), response.path("uid").asText(), "uid of " + review);
        }
        if (!response.path("allowed").asBoolean()) {
            assertFalse(response.path("status").path("message").asText().isBlank(), "a denial says why: " + review);
        }
        for (JsonNode warning : response.path("warnings")) {
            assertFalse(warning.asText().equals(AdmissionHandler.INTERNAL_FAILURE_WARNING), "an internal failure: " + review);
        }
        if (response.has("patch")) {
            assertEquals("JSONPatch", response.path("patchType").asText(), "patchType of " + review);
            JsonNode patch = JSON.readTree(Base64.getDecoder().decode(response.path("patch").asText()));
            JsonNode pod = tree(body).path("request").path("object");
            try {
                JsonPatch.apply(patch, pod);
            } catch (RuntimeException e) {
                fail("the patch " + patch + " does not apply to the pod " + pod + ": " + e.getMessage());
            }
        }
    }

    private static void collectPointers(JsonNode node, JsonPointer pointer, List<JsonPointer> pointers) {
        if (!pointer.matches()) {
            pointers.add(pointer);
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                collectPointers(field.getValue(), pointer.appendProperty(field.getKey()), pointers);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectPointers(node.get(i), pointer.appendIndex(i), pointers);
            }
        }
    }

    private static void replace(JsonNode root, JsonPointer pointer, JsonNode value) {
        JsonNode parent = root.at(pointer.head());
        if (parent instanceof ArrayNode array) {
            array.set(pointer.last().getMatchingIndex(), value.deepCopy());
        } else {
            ((ObjectNode) parent).set(pointer.last().getMatchingProperty(), value.deepCopy());
        }
    }

    private static JsonNode tree(byte[] json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] resource(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
