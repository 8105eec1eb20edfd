package io.podidentity.admission;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.podidentity.mutation.PatchOperation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** Reading AdmissionReview requests and writing the answers, for v1 and v1beta1 alike. */
final class AdmissionReviews {

    static final String DEFAULT_API_VERSION = "admission.k8s.io/v1";
    static final String KIND = "AdmissionReview";
    /** kube-apiserver keeps warnings short; longer ones are cut here rather than there. */
    private static final int MAX_WARNING_LENGTH = 512;

    private final JsonFactory factory;

    AdmissionReviews(ObjectMapper json) {
        this.factory = json.getFactory();
    }

    /**
     * Reads a review from its bytes in one pass over the tokens, keeping only the fields this
     * webhook uses (see {@link PodViews}); the rest of the pod is skipped, not built into objects.
     */
    AdmissionRequest read(byte[] body) {
        if (body == null || body.length == 0) {
            throw new BadReviewException("the request body is empty; expected an AdmissionReview");
        }
        try (JsonParser p = factory.createParser(body)) {
            // A key twice in one object is refused: kube-apiserver never sends one, and the reader
            // (which keeps some fields of the first, some of the second) and whoever applies the
            // patch could each see a different pod.
            p.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new BadReviewException("the request body is not a JSON object; expected an AdmissionReview");
            }
            String apiVersion = "";
            String kind = "";
            AdmissionRequest request = null;
            boolean requestSeen = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "apiVersion" -> apiVersion = PodViews.scalarText(p);
                    case "kind" -> kind = PodViews.scalarText(p);
                    case "request" -> {
                        requestSeen = value != JsonToken.VALUE_NULL;
                        request = value == JsonToken.START_OBJECT ? request(p) : null;
                        p.skipChildren();
                    }
                    default -> p.skipChildren();
                }
            }
            if (!kind.isEmpty() && !KIND.equals(kind)) {
                throw new BadReviewException("kind is \"" + kind + "\"; expected AdmissionReview");
            }
            if (!apiVersion.isEmpty() && !apiVersion.equals("admission.k8s.io/v1") && !apiVersion.equals("admission.k8s.io/v1beta1")) {
                throw new BadReviewException("apiVersion \"" + apiVersion + "\" is not supported; expected admission.k8s.io/v1 or admission.k8s.io/v1beta1");
            }
            if (!requestSeen) {
                throw new BadReviewException("the AdmissionReview has no request");
            }
            if (request == null) {
                throw new BadReviewException("request is not a JSON object");
            }
            return request.withEnvelope(apiVersion, kind);
        } catch (JsonProcessingException e) {
            // Stream-limit violations (nesting, number or string length) carry no location.
            JsonLocation at = e.getLocation();
            throw new BadReviewException("the request body is not valid JSON: " + e.getOriginalMessage()
                    + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()));
        } catch (IOException e) {
            throw new BadReviewException("the request body could not be read: " + e.getMessage());
        }
    }

    /** The fields of {@code request}, the parser on its START_OBJECT; leaves it on the END_OBJECT. */
    private static AdmissionRequest request(JsonParser p) throws IOException {
        String uid = "";
        String group = "";
        String version = "";
        String resourceKind = "";
        String subResource = "";
        String operation = "";
        String namespace = "";
        boolean dryRun = false;
        PodObject object = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "uid" -> uid = PodViews.scalarText(p);
                case "subResource" -> subResource = PodViews.scalarText(p);
                case "operation" -> operation = PodViews.scalarText(p);
                case "namespace" -> namespace = PodViews.scalarText(p);
                case "dryRun" -> dryRun = asBoolean(p);
                case "object" -> object = PodViews.read(p);
                case "kind" -> {
                    group = version = resourceKind = "";
                    if (value == JsonToken.START_OBJECT) {
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String key = p.currentName();
                            p.nextToken();
                            switch (key) {
                                case "group" -> group = PodViews.scalarText(p);
                                case "version" -> version = PodViews.scalarText(p);
                                case "kind" -> resourceKind = PodViews.scalarText(p);
                                default -> p.skipChildren();
                            }
                        }
                    } else {
                        p.skipChildren();
                    }
                }
                default -> p.skipChildren();
            }
        }
        if (object == null) {
            object = PodObject.unusable(PodObject.MISSING);
        }
        if (resourceKind.isEmpty()) {
            // Tolerate hand-written reviews without request.kind: the object says what it is.
            resourceKind = object.kind();
        }
        return new AdmissionRequest("", "", uid, group, version, resourceKind, subResource, operation, namespace, dryRun, object);
    }

    /** As Jackson's {@code asBoolean}: true, "true", or a non-zero integer. */
    private static boolean asBoolean(JsonParser p) throws IOException {
        return switch (p.currentToken()) {
            case VALUE_TRUE -> true;
            case VALUE_STRING -> "true".equals(p.getText().trim());
            case VALUE_NUMBER_INT -> p.getLongValue() != 0;
            default -> {
                p.skipChildren();
                yield false;
            }
        };
    }

    /** The answer to {@code request}; its apiVersion and kind echo the request's. */
    byte[] answer(AdmissionRequest request, boolean allowed, List<PatchOperation> patch, List<String> warnings, String denial) {
        return write(request.apiVersion(), request.uid(), allowed, patch, warnings, denial);
    }

    byte[] write(String apiVersion, String uid, boolean allowed, List<PatchOperation> patch, List<String> warnings, String denial) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = factory.createGenerator(out)) {
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
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = factory.createGenerator(out)) {
            g.writeStartArray();
            for (PatchOperation op : patch) {
                g.writeStartObject();
                g.writeStringField("op", op.op());
                g.writeStringField("path", op.path());
                g.writeFieldName("value");
                writeValue(g, op.value());
                g.writeEndObject();
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The values a patch carries: strings, numbers, booleans, null, and maps and lists of them. */
    private static void writeValue(JsonGenerator g, Object value) throws IOException {
        if (value == null) {
            g.writeNull();
        } else if (value instanceof String s) {
            g.writeString(s);
        } else if (value instanceof Map<?, ?> map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                writeValue(g, e.getValue());
            }
            g.writeEndObject();
        } else if (value instanceof List<?> list) {
            g.writeStartArray();
            for (Object item : list) {
                writeValue(g, item);
            }
            g.writeEndArray();
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (value instanceof Integer || value instanceof Long) {
            g.writeNumber(((Number) value).longValue());
        } else {
            throw new IllegalStateException("patch value of unexpected type " + value.getClass().getName());
        }
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
