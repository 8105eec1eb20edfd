package io.podidentity.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.podidentity.config.Flag;
import io.podidentity.config.WebhookConfig;
import io.podidentity.identity.RoleArns;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Account and partition used to compose role ARNs from bare names ({@code --compose-role-arn}).
 * Order of preference: {@code --aws-account-id} / {@code --aws-partition} (self-hosted clusters),
 * then EC2 instance metadata (upstream's only source); the partition otherwise follows the region.
 */
public record AwsAccount(String accountId, String partition) {

    private static final String IMDS = "http://169.254.169.254";
    private static final int TIMEOUT_MILLIS = 2000;
    private static final int MAX_DOCUMENT_BYTES = 64 * 1024;

    static AwsAccount of(WebhookConfig config) {
        if (!config.bool(Flag.COMPOSE_ROLE_ARN)) {
            return new AwsAccount("", "");
        }
        return resolve(config.string(Flag.AWS_ACCOUNT_ID), config.string(Flag.AWS_DEFAULT_REGION),
                config.string(Flag.AWS_PARTITION));
    }

    /**
     * @throws IllegalArgumentException in one line when no valid account can be found
     */
    static AwsAccount resolve(String accountId, String defaultRegion, String partitionSetting) {
        return resolve(accountId, defaultRegion, partitionSetting, IMDS);
    }

    /** As above, asking the instance metadata service at {@code metadataUrl} (tests serve one). */
    static AwsAccount resolve(String accountId, String defaultRegion, String partitionSetting, String metadataUrl) {
        String account = accountId;
        String region = defaultRegion;
        if (account.isEmpty()) {
            JsonNode document = instanceIdentity(metadataUrl);
            account = document.path("accountId").asText("");
            if (region.isEmpty()) {
                region = document.path("region").asText("");
            }
        }
        if (!account.matches("\\d{12}")) {
            throw new IllegalArgumentException("--aws-account-id: \"" + account + "\" is not a 12-digit AWS account id");
        }
        String partition = partitionSetting.isEmpty() ? RoleArns.partitionOf(region) : partitionSetting;
        return new AwsAccount(account, partition);
    }

    /** IMDSv2: a session token (PUT), then the instance identity document with it. */
    private static JsonNode instanceIdentity(String metadataUrl) {
        try {
            String token = new String(imds(metadataUrl, "PUT", "/latest/api/token", "X-aws-ec2-metadata-token-ttl-seconds",
                    "60"), StandardCharsets.US_ASCII);
            return new ObjectMapper().readTree(imds(metadataUrl, "GET", "/latest/dynamic/instance-identity/document",
                    "X-aws-ec2-metadata-token", token));
        } catch (IOException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new IllegalArgumentException("--compose-role-arn needs --aws-account-id here: EC2 instance metadata is "
                    + "not reachable (" + reason.replaceAll("\\s+", " ").trim() + ")");
        }
    }

    /** One request to instance metadata, 2 s to connect and 2 s per read; the body of a 200 answer. */
    private static byte[] imds(String metadataUrl, String method, String path, String header, String value)
            throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(metadataUrl + path).toURL().openConnection();
        try {
            connection.setRequestMethod(method);
            connection.setConnectTimeout(TIMEOUT_MILLIS);
            connection.setReadTimeout(TIMEOUT_MILLIS);
            connection.setRequestProperty(header, value);
            if (method.equals("PUT")) {
                connection.setDoOutput(true);
                connection.setFixedLengthStreamingMode(0);
            }
            int status = connection.getResponseCode();
            if (status != 200) {
                throw new IOException(method + " " + path + ": HTTP " + status);
            }
            try (InputStream in = connection.getInputStream()) {
                return in.readNBytes(MAX_DOCUMENT_BYTES);
            }
        } finally {
            connection.disconnect();
        }
    }
}
