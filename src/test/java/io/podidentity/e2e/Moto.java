package io.podidentity.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * moto's server ({@code e2e/moto}) as the STS and S3 endpoint of the AWS CLI in a pod: it
 * records every request it gets, and its state tells which roles were assumed with which keys.
 * It checks no signature and no web-identity token; the tests check those themselves.
 */
final class Moto implements AutoCloseable {

    /** The account moto answers for: that of the homelab manifest's role. */
    static final String ACCOUNT = "633355703129";
    private static final Path SCRIPTS = Path.of("e2e", "moto").toAbsolutePath();

    private final Path dir;
    private final Path bin;
    private final String endpoint;
    private final Process process;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Moto(Path dir, Path bin, String endpoint, Process process) {
        this.dir = dir;
        this.bin = bin;
        this.endpoint = endpoint;
        this.process = process;
    }

    /** Installs moto (cached) and starts its server on {@code host:port}, recording from the start. */
    static Moto start(Path dir, String host, int port) throws IOException {
        Path bin = Path.of(Processes.run(Duration.ofMinutes(10), null, SCRIPTS.resolve("build.sh").toString())
                .requireSuccess("install moto").stdout().strip().lines().reduce((a, b) -> b).orElseThrow());
        Files.createDirectories(dir);
        ProcessBuilder builder = new ProcessBuilder(bin.resolve("moto_server").toString(), "-H", host, "-p",
                Integer.toString(port))
                .directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("moto.log").toFile());
        builder.environment().put("MOTO_ACCOUNT_ID", ACCOUNT);
        builder.environment().put("MOTO_ENABLE_RECORDING", "true");
        builder.environment().put("MOTO_RECORDER_FILEPATH", dir.resolve("recording.jsonl").toString());
        Moto moto = new Moto(dir, bin, "http://" + host + ":" + port, builder.start());
        Poll.until(Duration.ofSeconds(60), "moto's server on " + moto.endpoint,
                () -> moto.post("/moto-api/recorder/start-recording").contains("True"));
        return moto;
    }

    /** {@code http://host:port}: what {@code AWS_ENDPOINT_URL} points at. */
    String endpoint() {
        return endpoint;
    }

    /** Creates an S3 bucket with boto3 from moto's own virtualenv, as an administrator would. */
    void createBucket(String name) {
        Processes.run(Duration.ofMinutes(1), Map.of("AWS_ACCESS_KEY_ID", "admin", "AWS_SECRET_ACCESS_KEY", "admin"),
                bin.resolve("python").toString(), "-c",
                "import boto3, sys; boto3.client('s3', endpoint_url=sys.argv[1], region_name='us-east-1')"
                        + ".create_bucket(Bucket=sys.argv[2])", endpoint, name)
                .requireSuccess("create the bucket " + name + " in moto");
    }

    /** An assumed role from moto's state: who assumed it, with which access key. */
    record AssumedRole(String roleArn, String accessKeyId) {
    }

    /** Every role assumed so far, by any STS call. */
    List<AssumedRole> assumedRoles() throws IOException {
        JsonNode state = Pods.JSON.readTree(get("/moto-api/data.json"));
        List<AssumedRole> roles = new ArrayList<>();
        for (JsonNode role : state.path("sts").path("AssumedRole")) {
            roles.add(new AssumedRole(role.path("role_arn").asText(), role.path("access_key_id").asText()));
        }
        return roles;
    }

    /** A request moto received: its form parameters (STS's query protocol) and Authorization header. */
    record Request(String method, String url, Map<String, String> form, String authorization) {

        String action() {
            return form.getOrDefault("Action", "");
        }
    }

    /** Every request recorded since the server started, in order. */
    List<Request> requests() throws IOException {
        Path file = dir.resolve("recording.jsonl");
        List<Request> requests = new ArrayList<>();
        if (!Files.exists(file)) {
            return requests;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode entry = Pods.JSON.readTree(line);
            String body = entry.path("body").asText("");
            if (entry.path("body_encoded").asBoolean(false)) {
                body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
            }
            requests.add(new Request(entry.path("method").asText(), entry.path("url").asText(), form(body),
                    entry.path("headers").path("Authorization").asText("")));
        }
        return requests;
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    String logTail() {
        return Processes.tail(dir.resolve("moto.log"), 30);
    }

    private String get(String path) throws IOException {
        return send(HttpRequest.newBuilder(URI.create(endpoint + path)).GET());
    }

    private String post(String path) throws IOException {
        return send(HttpRequest.newBuilder(URI.create(endpoint + path)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    private String send(HttpRequest.Builder request) throws IOException {
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("moto answered " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted while stopping moto", e));
        }
    }
}
