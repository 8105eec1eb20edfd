package io.podidentity.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.zjsonpatch.JsonPatch;
import io.podidentity.admission.AdmissionHandler;
import io.podidentity.config.WebhookConfig;
import io.podidentity.identity.ObjectsFile;
import io.podidentity.server.Components;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The webhook's admission path without a server: the same {@link AdmissionHandler} the
 * {@code /mutate} endpoint calls, built by the same {@link Components} factories, fed from files.
 */
final class OfflineWebhook {

    private final AdmissionHandler handler;
    private final ObjectMapper json;

    /**
     * @param objects the ServiceAccounts (and optionally the pod-identity-webhook ConfigMap)
     * @param containerCredentials the container-credentials file's content, or {@code null}
     */
    OfflineWebhook(WebhookConfig config, ObjectsFile objects, byte[] containerCredentials, ObjectMapper json) {
        this.json = json;
        this.handler = Components.newOfflineAdmissionHandler(config, objects, containerCredentials, json);
    }

    /**
     * The pod as the API server would store it after this webhook.
     *
     * @param warnings receives the admission warnings
     * @throws IllegalArgumentException with the webhook's message when it denies the pod
     */
    JsonNode mutate(JsonNode pod, List<String> warnings) throws Exception {
        String namespace = pod.path("metadata").path("namespace").asText("default");
        ObjectNode review = json.createObjectNode();
        review.put("apiVersion", "admission.k8s.io/v1");
        review.put("kind", "AdmissionReview");
        ObjectNode request = review.putObject("request");
        request.put("uid", "mutate-dry-run");
        request.putObject("kind").put("group", "").put("version", "v1").put("kind", "Pod");
        request.putObject("resource").put("group", "").put("version", "v1").put("resource", "pods");
        request.put("namespace", namespace);
        request.put("operation", "CREATE");
        request.put("dryRun", true);
        request.set("object", pod);
        byte[] answer = handler.handle(json.writeValueAsBytes(review)).toCompletableFuture().get(30, TimeUnit.SECONDS);
        JsonNode response = json.readTree(answer).path("response");
        response.path("warnings").forEach(warning -> warnings.add(warning.asText()));
        if (!response.path("allowed").asBoolean(false)) {
            throw new IllegalArgumentException("the webhook denies the pod: " + response.path("status").path("message").asText());
        }
        if (!response.hasNonNull("patch")) {
            return pod;
        }
        JsonNode patch = json.readTree(Base64.getDecoder().decode(response.path("patch").asText()));
        return JsonPatch.apply(patch, pod);
    }

}
