package io.podidentity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mutate}: the webhook's answer applied to a pod file, offline. */
class MutateCommandTest {

    static final Path DIR = Path.of("src/test/resources/cli");
    static final String ACCOUNTS = DIR.resolve("service-accounts.yaml").toString();

    @TempDir
    Path tmp;

    @Test
    void yamlPodComesBackAsYamlWithTheWebhookFlagsApplied() throws Exception {
        CliRun run = CliRun.of("mutate", "--pod", DIR.resolve("pod.yaml").toString(), "--service-account", ACCOUNTS,
                "--aws-default-region", "eu-west-1", "--token-expiration=3600");

        assertEquals(0, run.code(), run.err());
        assertEquals(Files.readString(DIR.resolve("pod-mutated.yaml")), run.out());
        assertEquals("", run.err());
    }

    @Test
    void jsonPodComesBackAsJson() throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode pod = new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readTree(DIR.resolve("pod.yaml").toFile());
        Path file = Files.writeString(tmp.resolve("pod.json"), json.writeValueAsString(pod));

        CliRun run = CliRun.of("mutate", "--pod", file.toString(), "--service-account", ACCOUNTS);

        assertEquals(0, run.code(), run.err());
        JsonNode mutated = json.readTree(run.out());
        assertEquals("aws-iam-token", mutated.path("spec").path("volumes").path(0).path("name").asText());
        assertEquals(86400, mutated.path("spec").path("volumes").path(0).path("projected").path("sources").path(0)
                .path("serviceAccountToken").path("expirationSeconds").asInt());
    }

    @Test
    void admissionWarningsGoToStderr() throws Exception {
        Path pod = Files.writeString(tmp.resolve("pod.yaml"),
                Files.readString(DIR.resolve("pod.yaml")).replace("s3-reader", "bad-arn"));

        CliRun run = CliRun.of("mutate", "--pod", pod.toString(), "--service-account", ACCOUNTS);

        assertEquals(0, run.code(), run.err());
        assertTrue(run.err().startsWith("Warning: ") && run.err().contains("not-an-arn"), run.err());
    }

    @Test
    void podOfAnUnknownServiceAccountIsPrintedUnchanged() throws Exception {
        Path pod = Files.writeString(tmp.resolve("pod.yaml"),
                Files.readString(DIR.resolve("pod.yaml")).replace("s3-reader", "nobody"));

        CliRun run = CliRun.of("mutate", "--pod", pod.toString(), "--service-account", ACCOUNTS);

        assertEquals(0, run.code(), run.err());
        assertEquals(Files.readString(pod), run.out());
    }

    @Test
    void anUnknownWebhookFlagIsAUsageError() {
        CliRun run = CliRun.of("mutate", "--pod", DIR.resolve("pod.yaml").toString(), "--service-account", ACCOUNTS,
                "--no-such-flag=1");

        assertEquals(2, run.code());
        assertTrue(run.oneErrorLine() && run.err().contains("no-such-flag"), run.err());
    }

    @Test
    void aFileThatIsNotAPodIsReportedInOneLine() {
        CliRun run = CliRun.of("mutate", "--pod", ACCOUNTS, "--service-account", ACCOUNTS);

        assertEquals(1, run.code());
        assertTrue(run.oneErrorLine() && run.err().contains("not a Pod"), run.err());
    }
}
