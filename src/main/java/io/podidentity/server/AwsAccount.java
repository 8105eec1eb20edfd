package io.podidentity.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.podidentity.config.Flag;
import io.podidentity.config.WebhookConfig;
import io.podidentity.identity.RoleArns;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Account and partition used to compose role ARNs from bare names ({@code --compose-role-arn}).
 * Order of preference: {@code --aws-account-id} / {@code --aws-partition} (self-hosted clusters),
 * then EC2 instance metadata (upstream's only source); the partition otherwise follows the region.
 */
public record AwsAccount(String accountId, String partition) {

    private static final String IMDS = "http://169.254.169.254";

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
        String account = accountId;
        String region = defaultRegion;
        if (account.isEmpty()) {
            JsonNode document = instanceIdentity();
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

    private static JsonNode instanceIdentity() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try {
            String token = http.send(HttpRequest.newBuilder(URI.create(IMDS + "/latest/api/token"))
                            .timeout(Duration.ofSeconds(2))
                            .header("X-aws-ec2-metadata-token-ttl-seconds", "60")
                            .PUT(HttpRequest.BodyPublishers.noBody())
                            .build(), HttpResponse.BodyHandlers.ofString())
                    .body();
            HttpResponse<String> document = http.send(HttpRequest.newBuilder(
                                    URI.create(IMDS + "/latest/dynamic/instance-identity/document"))
                            .timeout(Duration.ofSeconds(2))
                            .header("X-aws-ec2-metadata-token", token)
                            .build(), HttpResponse.BodyHandlers.ofString());
            if (document.statusCode() != 200) {
                throw new IOException("HTTP " + document.statusCode());
            }
            return new ObjectMapper().readTree(document.body());
        } catch (IOException e) {
            throw new IllegalArgumentException("--compose-role-arn needs --aws-account-id here: EC2 instance metadata is "
                    + "not reachable (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking EC2 instance metadata", e);
        }
    }
}
