package io.podidentity.identity;

import static io.podidentity.identity.TestAnnotations.PREFIX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountList;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceAccountReaderTest {

    private static final KubernetesSerialization SERIALIZATION = ServiceAccountReader.serialization(PREFIX);

    /** As kube-apiserver 1.34 sends one after `kubectl apply` (client side, then server side). */
    private static final String FULL = """
            {"kind":"ServiceAccount","apiVersion":"v1",
             "metadata":{"name":"app","namespace":"team-a","uid":"0f6c","resourceVersion":"4711",
               "creationTimestamp":"2026-12-04T10:00:00Z","labels":{"app":"x"},
               "annotations":{
                 "eks.amazonaws.com/role-arn":"arn:aws:iam::111122223333:role/a",
                 "eks.amazonaws.com/token-expiration":"3600",
                 "eks.amazonaws.com.evil/role-arn":"arn:aws:iam::999999999999:role/not-ours",
                 "kubectl.kubernetes.io/last-applied-configuration":"{\\"apiVersion\\":\\"v1\\",\\"kind\\":\\"ServiceAccount\\"}\\n"},
               "ownerReferences":[{"apiVersion":"v1","kind":"Namespace","name":"team-a","uid":"1"}],
               "finalizers":["x"],
               "managedFields":[{"manager":"kubectl","operation":"Apply","apiVersion":"v1",
                 "time":"2026-12-04T10:00:00Z","fieldsType":"FieldsV1",
                 "fieldsV1":{"f:metadata":{"f:annotations":{"f:eks.amazonaws.com/role-arn":{}},"f:labels":{".":{}}}}}]},
             "secrets":[{"name":"app-token"}],"imagePullSecrets":[{"name":"registry"}],
             "automountServiceAccountToken":false}
            """;

    /**
     * The kinds come from registration, not from the class path's service lists (which the native
     * image lacks): a watch's ERROR event after 410 Gone must read as a Status, or the informer
     * retries the expired resource version forever instead of listing again.
     */
    @Test
    void knowsTheKindsItReadsByRegistrationAndReadsAWatchErrorAsAStatus() {
        for (Class<? extends KubernetesResource> kind : ClusterModels.KINDS) {
            assertEquals(kind, SERIALIZATION.getRegisteredKubernetesResource("v1", kind.getSimpleName()));
        }
        WatchEvent event = SERIALIZATION.unmarshal("""
                {"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",
                 "message":"too old resource version: 277 (278)","reason":"Expired","code":410}}
                """, WatchEvent.class);
        Status status = assertInstanceOf(Status.class, event.getObject());
        assertEquals(410, status.getCode());
    }

    @Test
    void keepsNamespaceNameResourceVersionAndThePrefixedAnnotationsOnly() {
        ServiceAccount sa = SERIALIZATION.unmarshal(FULL, ServiceAccount.class);

        assertEquals("v1", sa.getApiVersion());
        assertEquals("ServiceAccount", sa.getKind());
        assertEquals("app", sa.getMetadata().getName());
        assertEquals("team-a", sa.getMetadata().getNamespace());
        assertEquals("4711", sa.getMetadata().getResourceVersion());
        assertEquals(Map.of(
                        "eks.amazonaws.com/role-arn", "arn:aws:iam::111122223333:role/a",
                        "eks.amazonaws.com/token-expiration", "3600"),
                sa.getMetadata().getAnnotations());
        assertNull(sa.getMetadata().getUid());
        assertTrue(sa.getMetadata().getLabels().isEmpty());
        assertTrue(sa.getMetadata().getManagedFields().isEmpty());
        assertTrue(sa.getSecrets().isEmpty());
        assertNull(sa.getAutomountServiceAccountToken());
    }

    @Test
    void readsTheItemsOfAListPageAndItsListMetadata() {
        String page = "{\"kind\":\"ServiceAccountList\",\"apiVersion\":\"v1\","
                + "\"metadata\":{\"resourceVersion\":\"900\",\"continue\":\"abc\"},\"items\":["
                + FULL + ",{\"metadata\":{\"name\":\"default\",\"namespace\":\"team-b\",\"resourceVersion\":\"12\"}}]}";

        ServiceAccountList list = SERIALIZATION.unmarshal(page, ServiceAccountList.class);

        assertEquals("900", list.getMetadata().getResourceVersion());
        assertEquals("abc", list.getMetadata().getContinue());
        assertEquals(2, list.getItems().size());
        assertEquals("arn:aws:iam::111122223333:role/a",
                list.getItems().get(0).getMetadata().getAnnotations().get("eks.amazonaws.com/role-arn"));
        assertEquals("default", list.getItems().get(1).getMetadata().getName());
        assertTrue(list.getItems().get(1).getMetadata().getAnnotations().isEmpty());
    }

    @Test
    void readsTheObjectOfAWatchEvent() {
        WatchEvent event = SERIALIZATION.unmarshal("{\"type\":\"MODIFIED\",\"object\":" + FULL + "}", WatchEvent.class);

        ServiceAccount sa = (ServiceAccount) event.getObject();
        assertEquals("4711", sa.getMetadata().getResourceVersion());
        assertEquals(2, sa.getMetadata().getAnnotations().size());
    }

    @Test
    void nullAnnotationsAndNullMetadataStayNull() {
        assertNull(SERIALIZATION.unmarshal("{\"metadata\":{\"name\":\"a\",\"annotations\":null}}", ServiceAccount.class)
                .getMetadata().getAnnotations());
        assertNull(SERIALIZATION.unmarshal("{\"metadata\":null}", ServiceAccount.class).getMetadata());
    }

    @Test
    void aPrefixedAnnotationThatIsNotAStringIsAnErrorNamingIt() {
        RuntimeException e = assertThrows(RuntimeException.class, () -> SERIALIZATION.unmarshal(
                "{\"metadata\":{\"name\":\"a\",\"annotations\":{\"eks.amazonaws.com/role-arn\":7}}}", ServiceAccount.class));
        assertTrue(rootMessage(e).contains("ServiceAccount annotation eks.amazonaws.com/role-arn: expected a string"),
                rootMessage(e));
    }

    @Test
    void metadataThatIsNotAnObjectIsAnError() {
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> SERIALIZATION.unmarshal("{\"metadata\":[1]}", ServiceAccount.class));
        assertTrue(rootMessage(e).contains("expected an object"), rootMessage(e));
    }

    @Test
    void aNameThatIsNotAStringIsAnError() {
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> SERIALIZATION.unmarshal("{\"metadata\":{\"name\":{\"x\":1}}}", ServiceAccount.class));
        assertTrue(rootMessage(e).contains("ServiceAccount metadata.name: expected a string"), rootMessage(e));
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
