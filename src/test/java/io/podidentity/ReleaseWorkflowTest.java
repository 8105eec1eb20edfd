package io.podidentity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The release workflow (.github/workflows/release.yml; actionlint checks its syntax in CI) and
 * the Dockerfiles agree: the files it builds exist, native images are built on a runner of their
 * own architecture, the JVM image for both platforms, everything pushed to GHCR with an SBOM
 * and signed.
 */
class ReleaseWorkflowTest {

    private static final Path WORKFLOW = Path.of(".github/workflows/release.yml");

    private static JsonNode workflow() throws Exception {
        return new ObjectMapper(new YAMLFactory()).readTree(Files.readString(WORKFLOW));
    }

    /** Every {@code docker/build-push-action} step of a job, by job name. */
    private static Map<String, List<JsonNode>> builds(JsonNode workflow) {
        Map<String, List<JsonNode>> builds = new TreeMap<>();
        workflow.path("jobs").fields().forEachRemaining(job -> {
            for (JsonNode step : job.getValue().path("steps")) {
                if (step.path("uses").asText().startsWith("docker/build-push-action@")) {
                    builds.computeIfAbsent(job.getKey(), k -> new ArrayList<>()).add(step.path("with"));
                }
            }
        });
        return builds;
    }

    @Test
    void buildsEachNativePlatformOnARunnerOfThatArchitecture() throws Exception {
        JsonNode nativeJob = workflow().path("jobs").path("native");
        Map<String, String> runners = new TreeMap<>();
        for (JsonNode entry : nativeJob.path("strategy").path("matrix").path("include")) {
            runners.put(entry.path("platform").asText(), entry.path("runner").asText());
        }
        assertEquals(Map.of("linux/amd64", "ubuntu-24.04", "linux/arm64", "ubuntu-24.04-arm"), runners,
                "native-image does not cross-compile: one runner per architecture");
        assertEquals("${{ matrix.runner }}", nativeJob.path("runs-on").asText());
        JsonNode build = builds(workflow()).get("native").get(0);
        assertEquals("Dockerfile.native", build.path("file").asText());
        assertEquals("${{ matrix.platform }}", build.path("platforms").asText());
    }

    @Test
    void buildsTheJvmImageForBothPlatforms() throws Exception {
        JsonNode build = builds(workflow()).get("jvm").get(0);
        assertEquals("Dockerfile.jvm", build.path("file").asText());
        assertEquals("linux/amd64,linux/arm64", build.path("platforms").asText());
        assertTrue(Files.readString(Path.of("Dockerfile.jvm")).contains("FROM --platform=$BUILDPLATFORM"),
                "only the JVM image's runtime stage is per-platform");
    }

    @Test
    void everyImageIsBuiltFromAnExistingDockerfileWithAnSbomAndPushedToGhcrAndSigned() throws Exception {
        JsonNode workflow = workflow();
        assertEquals("ghcr.io/${{ github.repository }}", workflow.path("env").path("IMAGE").asText());
        for (Map.Entry<String, List<JsonNode>> job : builds(workflow).entrySet()) {
            for (JsonNode build : job.getValue()) {
                assertTrue(Files.isRegularFile(Path.of(build.path("file").asText())), job.getKey() + ": " + build);
                assertEquals("true", build.path("sbom").asText(), job.getKey() + " has an SBOM");
            }
        }
        String text = Files.readString(WORKFLOW);
        assertTrue(text.contains("cosign sign --yes \"$IMAGE@$digest\""), "the native multi-arch tag is signed");
        assertTrue(text.contains("cosign sign --yes \"$IMAGE@$DIGEST\""), "the JVM image is signed");
        for (String job : List.of("native-manifest", "jvm")) {
            assertEquals("write", workflow.path("jobs").path(job).path("permissions").path("id-token").asText(),
                    job + " can sign keylessly");
        }
    }

    /** One profile's properties, when it activates on {@code arch}; fails when there is none. */
    private static Map<String, String> baselineProperties(String profileId, String arch) throws Exception {
        org.w3c.dom.Document pom = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(Path.of("pom.xml").toFile());
        org.w3c.dom.NodeList profiles = pom.getElementsByTagName("profile");
        for (int i = 0; i < profiles.getLength(); i++) {
            org.w3c.dom.Element profile = (org.w3c.dom.Element) profiles.item(i);
            if (!profileId.equals(profile.getElementsByTagName("id").item(0).getTextContent())) {
                continue;
            }
            assertEquals(arch, profile.getElementsByTagName("arch").item(0).getTextContent(), profileId + " activation");
            Map<String, String> properties = new TreeMap<>();
            org.w3c.dom.NodeList children = profile.getElementsByTagName("properties").item(0).getChildNodes();
            for (int j = 0; j < children.getLength(); j++) {
                if (children.item(j) instanceof org.w3c.dom.Element property) {
                    properties.put(property.getTagName(), property.getTextContent());
                }
            }
            return properties;
        }
        throw new AssertionError("pom.xml has no profile " + profileId);
    }

    /**
     * The CPU baseline is declared once, in pom.xml, for each released platform, and the
     * Dockerfile builds with it: amd64 runs on CPUs without AVX2 and keeps AES-NI for TLS, arm64
     * on the Raspberry Pi 3 and 4.
     */
    @Test
    void theNativeBuildHasACpuBaselineForEveryReleasedPlatform() throws Exception {
        assertEquals(Map.of("quarkus.native.march", "x86-64-v2",
                        "native.cpu-features", "-H:CPUFeatures=AES,-H:CPUFeatures=CLMUL",
                        "quarkus.native.additional-build-args-append", "${native.cpu-features}"),
                baselineProperties("cpu-baseline-amd64", "amd64"));
        assertEquals(Map.of("quarkus.native.march", "armv8-a"), baselineProperties("cpu-baseline-aarch64", "aarch64"));
        String dockerfile = Files.readString(Path.of("Dockerfile.native"));
        assertTrue(dockerfile.contains("./mvnw -B package -Pnative -DskipTests "
                + "${MARCH:+\"-Dquarkus.native.march=$MARCH\" \"-Dnative.cpu-features=\"}"), dockerfile);
    }
}
