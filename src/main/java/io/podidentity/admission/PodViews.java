package io.podidentity.admission;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.podidentity.mutation.ContainerView;
import io.podidentity.mutation.PodView;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code request.object} straight from the token stream into the mutation's {@link PodView},
 * keeping only what the mutation looks at (names, labels, annotations, node selector, OS, and the
 * names of volumes, containers, their env vars and mounts) and skipping the rest unparsed: env
 * values, probes and resources are never turned into objects, so a pod near the 1.5 MiB limit
 * costs little more than a small one.
 *
 * <p>A pod that cannot be used does not stop the reading: the first problem is kept, the offending
 * value skipped, and the review is still read to the end, because whether the pod matters at all
 * (is this a pod creation?) may only be known from fields that come after it.
 */
final class PodViews {

    private final JsonParser p;
    private String problem;

    private PodViews(JsonParser p) {
        this.p = p;
    }

    /**
     * Reads the value at the parser's current token (the token of {@code request.object}, or
     * {@code null} when the review has none) and leaves the parser on its last token.
     */
    static PodObject read(JsonParser p) throws IOException {
        JsonToken token = p.currentToken();
        if (token == null || token == JsonToken.VALUE_NULL) {
            return PodObject.unusable(PodObject.MISSING);
        }
        if (token != JsonToken.START_OBJECT) {
            p.skipChildren();
            return PodObject.unusable("request.object is not a JSON object");
        }
        return new PodViews(p).pod();
    }

    private PodObject pod() throws IOException {
        String kind = "";
        String name = null;
        String generateName = null;
        String namespace = "";
        String serviceAccountName = "";
        Map<String, String> labels = null;
        Map<String, String> annotations = null;
        Map<String, String> nodeSelector = null;
        String osName = null;
        List<String> volumes = null;
        List<ContainerView> initContainers = null;
        List<ContainerView> containers = null;
        boolean hasMetadata = false;
        boolean hasSpec = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            if (field.equals("kind")) {
                kind = scalarText(p);
            } else if (field.equals("metadata")) {
                hasMetadata = isObject("metadata");
                while (hasMetadata && p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    p.nextToken();
                    switch (key) {
                        case "name" -> name = stringOrNull(p);
                        case "generateName" -> generateName = stringOrNull(p);
                        case "namespace" -> namespace = scalarText(p);
                        case "labels" -> labels = stringMap("metadata.labels");
                        case "annotations" -> annotations = stringMap("metadata.annotations");
                        default -> p.skipChildren();
                    }
                }
            } else if (field.equals("spec")) {
                hasSpec = isObject("spec");
                while (hasSpec && p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    JsonToken v = p.nextToken();
                    switch (key) {
                        case "serviceAccountName" -> serviceAccountName = scalarText(p);
                        case "nodeSelector" -> nodeSelector = stringMap("spec.nodeSelector");
                        case "os" -> osName = osName(v);
                        case "volumes" -> volumes = names("spec.volumes");
                        case "initContainers" -> initContainers = containers("spec.initContainers");
                        case "containers" -> containers = containers("spec.containers");
                        default -> p.skipChildren();
                    }
                }
            } else {
                p.skipChildren();
            }
        }
        // The patch adds to both (labels, volumes), and a JSON Patch cannot add below a member
        // that is not there; kube-apiserver always sends both.
        if (!hasMetadata) {
            fail("request.object.metadata is missing; expected the pod's metadata");
        }
        if (!hasSpec) {
            fail("request.object.spec is missing; expected the pod's spec");
        }
        if (problem != null) {
            return new PodObject(null, kind, namespace, serviceAccountName, problem);
        }
        PodView view = new PodView(name, generateName, labels,
                annotations == null ? Map.of() : annotations,
                nodeSelector == null ? Map.of() : nodeSelector,
                osName, volumes,
                initContainers == null ? List.of() : initContainers,
                containers == null ? List.of() : containers);
        return new PodObject(view, kind, namespace, serviceAccountName, null);
    }

    private String osName(JsonToken token) throws IOException {
        String os = null;
        if (token != JsonToken.START_OBJECT) {
            p.skipChildren();
            return null;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            if (key.equals("name")) {
                os = stringOrNull(p);
            } else {
                p.skipChildren();
            }
        }
        return os;
    }

    private List<ContainerView> containers(String where) throws IOException {
        if (!startArray(where)) {
            return null;
        }
        List<ContainerView> containers = new ArrayList<>(2);
        for (int i = 0; p.nextToken() != JsonToken.END_ARRAY; i++) {
            String at = where + "[" + i + "]";
            if (!isObject(at)) {
                continue;
            }
            String name = "";
            List<String> env = null;
            List<String> mounts = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                p.nextToken();
                switch (key) {
                    case "name" -> name = scalarText(p);
                    case "env" -> env = names(at + ".env");
                    case "volumeMounts" -> mounts = names(at + ".volumeMounts");
                    default -> p.skipChildren();
                }
            }
            containers.add(new ContainerView(name, env, mounts));
        }
        return containers;
    }

    /** The {@code name} of each element, or {@code null} when the array is absent or null. */
    private List<String> names(String where) throws IOException {
        if (!startArray(where)) {
            return null;
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; p.nextToken() != JsonToken.END_ARRAY; i++) {
            if (!isObject(where + "[" + i + "]")) {
                continue;
            }
            String name = "";
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                p.nextToken();
                if (key.equals("name")) {
                    name = scalarText(p);
                } else {
                    p.skipChildren();
                }
            }
            names.add(name);
        }
        return names;
    }

    /** True on an array's start; null is absent (false); anything else is a problem (false, skipped). */
    private boolean startArray(String where) throws IOException {
        JsonToken token = p.currentToken();
        if (token == JsonToken.START_ARRAY) {
            return true;
        }
        if (token != JsonToken.VALUE_NULL) {
            fail("request.object." + where + " is not an array");
            p.skipChildren();
        }
        return false;
    }

    private boolean isObject(String where) throws IOException {
        if (p.currentToken() == JsonToken.START_OBJECT) {
            return true;
        }
        fail("request.object." + where + " is not an object");
        p.skipChildren();
        return false;
    }

    private Map<String, String> stringMap(String where) throws IOException {
        JsonToken token = p.currentToken();
        if (token == JsonToken.VALUE_NULL || !isObject(where)) {
            return null;
        }
        Map<String, String> map = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            if (p.nextToken() == JsonToken.VALUE_STRING) {
                map.put(key, p.getText());
            } else {
                fail("request.object." + where + "[\"" + key + "\"] is not a string");
                p.skipChildren();
            }
        }
        return map;
    }

    private void fail(String message) {
        if (problem == null) {
            problem = message;
        }
    }

    /** A string value, else null (skipping whatever else is there). */
    static String stringOrNull(JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        p.skipChildren();
        return null;
    }

    /** A scalar as text (numbers and booleans as written), "" for null, objects and arrays. */
    static String scalarText(JsonParser p) throws IOException {
        JsonToken token = p.currentToken();
        if (token == null || token == JsonToken.VALUE_NULL) {
            return "";
        }
        if (token.isScalarValue()) {
            return p.getText();
        }
        p.skipChildren();
        return "";
    }
}
