package io.podidentity.admission;

import com.fasterxml.jackson.databind.JsonNode;
import io.podidentity.mutation.ContainerView;
import io.podidentity.mutation.PodView;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the mutation's {@link PodView} from the pod JSON of an admission request. */
final class PodViews {

    private PodViews() {}

    static PodView from(JsonNode pod) {
        if (pod == null || pod.isMissingNode() || pod.isNull()) {
            throw new BadReviewException("request.object is missing; expected the Pod being created");
        }
        if (!pod.isObject()) {
            throw new BadReviewException("request.object is not a JSON object");
        }
        JsonNode metadata = pod.path("metadata");
        JsonNode spec = pod.path("spec");
        return new PodView(
                metadata.path("name").textValue(),
                metadata.path("generateName").textValue(),
                optionalStringMap(metadata.get("labels"), "metadata.labels"),
                stringMap(metadata.get("annotations"), "metadata.annotations"),
                stringMap(spec.get("nodeSelector"), "spec.nodeSelector"),
                spec.path("os").path("name").textValue(),
                names(spec.get("volumes"), "spec.volumes"),
                containers(spec.get("initContainers"), "spec.initContainers"),
                containers(spec.get("containers"), "spec.containers"));
    }

    private static List<ContainerView> containers(JsonNode array, String where) {
        List<String> absent = names(array, where);
        if (absent == null) {
            return List.of();
        }
        List<ContainerView> containers = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            JsonNode c = array.get(i);
            String at = where + "[" + i + "]";
            containers.add(new ContainerView(
                    c.path("name").asText(""),
                    names(c.get("env"), at + ".env"),
                    names(c.get("volumeMounts"), at + ".volumeMounts")));
        }
        return containers;
    }

    /** The {@code name} of each element, or {@code null} when the array is absent or null. */
    private static List<String> names(JsonNode array, String where) {
        if (array == null || array.isNull()) {
            return null;
        }
        if (!array.isArray()) {
            throw new BadReviewException("request.object." + where + " is not an array");
        }
        List<String> names = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            JsonNode item = array.get(i);
            if (!item.isObject()) {
                throw new BadReviewException("request.object." + where + "[" + i + "] is not an object");
            }
            names.add(item.path("name").asText(""));
        }
        return names;
    }

    private static Map<String, String> stringMap(JsonNode node, String where) {
        Map<String, String> map = optionalStringMap(node, where);
        return map == null ? Map.of() : map;
    }

    private static Map<String, String> optionalStringMap(JsonNode node, String where) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw new BadReviewException("request.object." + where + " is not an object");
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new BadReviewException("request.object." + where + "[\"" + e.getKey() + "\"] is not a string");
            }
            map.put(e.getKey(), e.getValue().textValue());
        }
        return map;
    }
}
