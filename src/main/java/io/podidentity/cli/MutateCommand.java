package io.podidentity.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.podidentity.config.FlagException;
import io.podidentity.config.ParsedFlags;
import io.podidentity.config.Flag;
import io.podidentity.config.UpstreamFlags;
import io.podidentity.config.WebhookConfig;
import io.podidentity.identity.ObjectsFile;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/** {@code mutate}: an offline dry run of the webhook on one pod. */
@RegisterForReflection
@Command(name = "mutate", sortOptions = false,
        description = "Print the pod as the webhook would have it stored (same code path as /mutate), in the input's "
                + "format (YAML or JSON). Admission warnings go to stderr. Any webhook flag (--annotation-prefix, "
                + "--aws-default-region, --token-expiration, ...) may follow.")
final class MutateCommand extends CliCommand {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    // The handler's decision log lines say what the Warning lines and the output already show.
    private static final Logger WEBHOOK_LOGS = Logger.getLogger("io.podidentity");

    @Option(names = "--pod", required = true, paramLabel = "FILE", description = "The pod (YAML or JSON).")
    Path pod;

    @Option(names = "--service-account", required = true, paramLabel = "FILE",
            description = "ServiceAccounts (and optionally the pod-identity-webhook ConfigMap), as for --objects-file.")
    Path serviceAccounts;

    @Unmatched
    List<String> webhookFlags = new ArrayList<>();

    private WebhookConfig config;

    @Override
    void validate() {
        for (Path file : List.of(pod, serviceAccounts)) {
            if (!Files.isRegularFile(file)) {
                throw new UsageException(file + ": file does not exist");
            }
        }
        try {
            ParsedFlags flags = UpstreamFlags.parse(webhookFlags.toArray(String[]::new));
            if (!flags.positional().isEmpty()) {
                throw new UsageException("unexpected argument \"" + flags.positional().get(0) + "\" (see mutate --help)");
            }
            flags.notices().forEach(notice -> err().println("notice: " + notice));
            // The command line alone: a dry run shows what these flags do, whatever the environment says.
            config = WebhookConfig.resolve(flags.properties(), flag -> Optional.empty());
        } catch (FlagException e) {
            throw new UsageException(e.getMessage());
        }
    }

    @Override
    int run() throws Exception {
        byte[] podBytes = Files.readAllBytes(pod);
        boolean json = new String(podBytes, StandardCharsets.UTF_8).stripLeading().startsWith("{");
        JsonNode podNode = read(podBytes);
        ObjectsFile objects;
        try {
            objects = ObjectsFile.parse(Files.readAllBytes(serviceAccounts), config.string(Flag.ANNOTATION_PREFIX),
                    config.string(Flag.NAMESPACE));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--service-account " + serviceAccounts + ": " + e.getMessage());
        }
        Optional<String> credentialsFile = config.optional(Flag.WATCH_CONTAINER_CREDENTIALS_CONFIG);
        byte[] credentials = credentialsFile.isPresent() ? Files.readAllBytes(Path.of(credentialsFile.get())) : null;
        List<String> warnings = new ArrayList<>();
        Level level = WEBHOOK_LOGS.getLevel();
        WEBHOOK_LOGS.setLevel(Level.OFF);
        JsonNode mutated;
        try {
            mutated = new OfflineWebhook(config, objects, credentials, new ObjectMapper()).mutate(podNode, warnings);
        } finally {
            WEBHOOK_LOGS.setLevel(level);
        }
        warnings.forEach(warning -> err().println("Warning: " + warning));
        String text = (json ? JSON : YAML).writeValueAsString(mutated);
        out().print(text.endsWith("\n") ? text : text + "\n");
        out().flush();
        return 0;
    }

    private JsonNode read(byte[] content) {
        JsonNode node;
        try {
            node = YAML.readTree(content);
        } catch (IOException e) {
            throw new IllegalArgumentException("--pod " + pod + ": not valid YAML or JSON ("
                    + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        if (node == null || !node.isObject() || !"Pod".equals(node.path("kind").asText())) {
            throw new IllegalArgumentException("--pod " + pod + ": not a Pod (expected an object with kind: Pod)");
        }
        return node;
    }
}
