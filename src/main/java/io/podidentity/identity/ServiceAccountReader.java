package io.podidentity.identity;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a ServiceAccount from the API server's JSON keeping only what the cache uses: namespace,
 * name, resourceVersion and the annotations under the webhook's prefix. Everything else (managed
 * fields, labels, secrets, kubectl's last-applied-configuration) is skipped token by token without
 * being decoded into objects, so the informer's list and watch allocate little more than the
 * cache keeps. The informer, the direct GETs and the store see the same reduced objects.
 */
public final class ServiceAccountReader extends StdDeserializer<ServiceAccount> {

    private final String annotationStart;

    ServiceAccountReader(String annotationPrefix) {
        super(ServiceAccount.class);
        this.annotationStart = annotationPrefix + "/";
    }

    /**
     * The fabric8 serialization for a client whose ServiceAccounts are read this way. It knows the
     * kinds the webhook reads ({@link ClusterModels#KINDS}) by registration, not from the class
     * path's {@code KubernetesResource} service lists, which the native image does not carry: a
     * watch's {@code ERROR} event names its {@code Status} by kind, and only a {@code Status}
     * makes the informer list again after {@code 410 Gone}.
     */
    public static KubernetesSerialization serialization(String annotationPrefix) {
        SimpleModule module = new SimpleModule("pod-identity-webhook-service-accounts");
        module.addDeserializer(ServiceAccount.class, new ServiceAccountReader(annotationPrefix));
        KubernetesSerialization serialization = new KubernetesSerialization(new ObjectMapper().registerModule(module), false);
        ClusterModels.KINDS.forEach(serialization::registerKubernetesResource);
        return serialization;
    }

    @Override
    public ServiceAccount deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        ServiceAccount sa = new ServiceAccount();
        fields(p, ctxt, (field, value) -> {
            switch (field) {
                case "apiVersion" -> sa.setApiVersion(text(p, ctxt, "apiVersion"));
                case "kind" -> sa.setKind(text(p, ctxt, "kind"));
                case "metadata" -> sa.setMetadata(value == JsonToken.VALUE_NULL ? null : metadata(p, ctxt));
                default -> p.skipChildren();
            }
        });
        return sa;
    }

    private ObjectMeta metadata(JsonParser p, DeserializationContext ctxt) throws IOException {
        ObjectMeta meta = new ObjectMeta();
        fields(p, ctxt, (field, value) -> {
            switch (field) {
                case "name" -> meta.setName(text(p, ctxt, "metadata.name"));
                case "namespace" -> meta.setNamespace(text(p, ctxt, "metadata.namespace"));
                case "resourceVersion" -> meta.setResourceVersion(text(p, ctxt, "metadata.resourceVersion"));
                case "annotations" -> meta.setAnnotations(value == JsonToken.VALUE_NULL ? null : annotations(p, ctxt));
                default -> p.skipChildren();
            }
        });
        return meta;
    }

    private Map<String, String> annotations(JsonParser p, DeserializationContext ctxt) throws IOException {
        Map<String, String> kept = new LinkedHashMap<>(4);
        fields(p, ctxt, (name, value) -> {
            if (!name.startsWith(annotationStart)) {
                p.skipChildren(); // a scalar is skipped undecoded
                return;
            }
            if (value != JsonToken.VALUE_STRING) {
                ctxt.reportInputMismatch(ServiceAccount.class,
                        "ServiceAccount annotation %s: expected a string, got %s", name, value);
            }
            kept.put(name, p.getText());
        });
        return kept.isEmpty() ? Map.of() : kept;
    }

    /** What is done with one field of an object, the parser on its value. */
    @FunctionalInterface
    private interface Field {
        void read(String name, JsonToken value) throws IOException;
    }

    /** Calls {@code field} for each field of the object the parser is on (or just inside). */
    private static void fields(JsonParser p, DeserializationContext ctxt, Field field) throws IOException {
        for (JsonToken t = firstField(p, ctxt); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String name = p.currentName();
            field.read(name, p.nextToken());
        }
    }

    /** Moves past START_OBJECT (if the parser is on it) and returns the first field's token. */
    private static JsonToken firstField(JsonParser p, DeserializationContext ctxt) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT) {
            t = p.nextToken();
        }
        if (t != JsonToken.FIELD_NAME && t != JsonToken.END_OBJECT) {
            ctxt.reportInputMismatch(ServiceAccount.class,
                    "ServiceAccount JSON: expected an object at %s, got %s", p.currentLocation(), t);
        }
        return t;
    }

    private static String text(JsonParser p, DeserializationContext ctxt, String what) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.VALUE_STRING) {
            ctxt.reportInputMismatch(ServiceAccount.class, "ServiceAccount %s: expected a string, got %s", what, t);
        }
        return p.getText();
    }
}
