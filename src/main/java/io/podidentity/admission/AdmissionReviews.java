package io.podidentity.admission;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.podidentity.mutation.PatchOperation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reading AdmissionReview requests and writing the answers, for v1 and v1beta1 alike. */
final class AdmissionReviews {

    static final String DEFAULT_API_VERSION = "admission.k8s.io/v1";
    static final String KIND = "AdmissionReview";
    /** kube-apiserver keeps warnings short; longer ones are cut here rather than there. */
    private static final int MAX_WARNING_LENGTH = 512;

    private final ObjectMapper json;

    AdmissionReviews(ObjectMapper json) {
        this.json = json;
    }

    AdmissionRequest read(byte[] body) {
        if (body == null || body.length == 0) {
            throw new BadReviewException("the request body is empty; expected an AdmissionReview");
        }
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new BadReviewException("the request body is not valid JSON: " + e.getOriginalMessage()
                    + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
        } catch (IOException e) {
            throw new BadReviewException("the request body could not be read: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new BadReviewException("the request body is not a JSON object; expected an AdmissionReview");
        }
        String apiVersion = root.path("apiVersion").asText("");
        String kind = root.path("kind").asText("");
        if (!kind.isEmpty() && !KIND.equals(kind)) {
            throw new BadReviewException("kind is \"" + kind + "\"; expected AdmissionReview");
        }
        if (!apiVersion.isEmpty() && !apiVersion.equals("admission.k8s.io/v1") && !apiVersion.equals("admission.k8s.io/v1beta1")) {
            throw new BadReviewException("apiVersion \"" + apiVersion + "\" is not supported; expected admission.k8s.io/v1 or admission.k8s.io/v1beta1");
        }
        JsonNode request = root.get("request");
        if (request == null || request.isNull()) {
            throw new BadReviewException("the AdmissionReview has no request");
        }
        if (!request.isObject()) {
            throw new BadReviewException("request is not a JSON object");
        }
        JsonNode kindNode = request.path("kind");
        String resourceKind = kindNode.path("kind").asText("");
        if (resourceKind.isEmpty()) {
            // Tolerate hand-written reviews without request.kind: the object says what it is.
            resourceKind = request.path("object").path("kind").asText("");
        }
        return new AdmissionRequest(
                apiVersion,
                kind,
                request.path("uid").asText(""),
                kindNode.path("group").asText(""),
                kindNode.path("version").asText(""),
                resourceKind,
                request.path("subResource").asText(""),
                request.path("operation").asText(""),
                request.path("namespace").asText(""),
                request.path("dryRun").asBoolean(false),
                request.path("object"));
    }

    /** The answer to {@code request}; its apiVersion and kind echo the request's. */
    byte[] answer(AdmissionRequest request, boolean allowed, List<PatchOperation> patch, List<String> warnings, String denial) {
        return write(
                request == null ? "" : request.apiVersion(),
                request == null ? "" : request.uid(),
                allowed,
                patch,
                warnings,
                denial);
    }

    byte[] write(String apiVersion, String uid, boolean allowed, List<PatchOperation> patch, List<String> warnings, String denial) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = json.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("apiVersion", apiVersion.isEmpty() ? DEFAULT_API_VERSION : apiVersion);
            g.writeStringField("kind", KIND);
            g.writeObjectFieldStart("response");
            g.writeStringField("uid", uid);
            g.writeBooleanField("allowed", allowed);
            if (patch != null && !patch.isEmpty()) {
                g.writeStringField("patchType", "JSONPatch");
                g.writeStringField("patch", Base64.getEncoder().encodeToString(patchBytes(patch)));
            }
            if (denial != null) {
                g.writeObjectFieldStart("status");
                g.writeStringField("status", "Failure");
                g.writeStringField("message", denial);
                g.writeStringField("reason", "BadRequest");
                g.writeNumberField("code", 400);
                g.writeEndObject();
            }
            if (warnings != null && !warnings.isEmpty()) {
                g.writeArrayFieldStart("warnings");
                for (String warning : warnings) {
                    g.writeString(sanitize(warning));
                }
                g.writeEndArray();
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    byte[] patchBytes(List<PatchOperation> patch) {
        try {
            return json.writeValueAsBytes(patch.stream().map(AdmissionReviews::asMap).toList());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("patch could not be serialised", e);
        }
    }

    private static Map<String, Object> asMap(PatchOperation op) {
        Map<String, Object> map = new LinkedHashMap<>(4);
        map.put("op", op.op());
        map.put("path", op.path());
        map.put("value", op.value());
        return map;
    }

    /** Warnings travel in an HTTP header: printable characters only, bounded length. */
    static String sanitize(String warning) {
        StringBuilder clean = new StringBuilder(Math.min(warning.length(), MAX_WARNING_LENGTH));
        for (int i = 0; i < warning.length() && clean.length() < MAX_WARNING_LENGTH; i++) {
            char c = warning.charAt(i);
            clean.append(Character.isISOControl(c) ? ' ' : c);
        }
        return clean.toString();
    }
}
