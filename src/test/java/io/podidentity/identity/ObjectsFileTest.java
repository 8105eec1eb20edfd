package io.podidentity.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Standalone mode's objects file: ServiceAccounts and the ConfigMap from YAML or JSON. */
class ObjectsFileTest {

    private static final String PREFIX = "eks.amazonaws.com";
    private static final String ROLE = "arn:aws:iam::111122223333:role/app";

    private static ObjectsFile parse(String text) {
        return ObjectsFile.parse(text.getBytes(StandardCharsets.UTF_8), PREFIX, "eks");
    }

    private static IllegalArgumentException rejected(String text) {
        return assertThrows(IllegalArgumentException.class, () -> parse(text));
    }

    @Test
    void readsMultiDocumentYaml() {
        ObjectsFile file = parse("""
                apiVersion: v1
                kind: ServiceAccount
                metadata:
                  name: app
                  namespace: team
                  resourceVersion: "42"
                  annotations:
                    eks.amazonaws.com/role-arn: %s
                    kubectl.kubernetes.io/last-applied-configuration: "{}"
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: pod-identity-webhook
                  namespace: eks
                data:
                  config: '{"*/web": {"RoleARN": "%s"}}'
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: app
                """.formatted(ROLE, ROLE));

        assertEquals(Set.of("team/app"), file.serviceAccounts().keySet());
        CachedServiceAccount sa = file.serviceAccounts().get("team/app");
        assertEquals("42", sa.resourceVersion());
        assertEquals(Map.of(PREFIX + "/role-arn", ROLE), sa.annotations(PREFIX));
        assertEquals("{\"*/web\": {\"RoleARN\": \"" + ROLE + "\"}}", file.configMapConfig());
        assertEquals(List.of("Deployment"), List.copyOf(file.ignoredKinds()));
    }

    @Test
    void readsJsonList() {
        ObjectsFile file = parse("""
                {"apiVersion": "v1", "kind": "List", "items": [
                  {"apiVersion": "v1", "kind": "ServiceAccount",
                   "metadata": {"name": "a", "namespace": "x", "annotations": {"eks.amazonaws.com/role-arn": "%s"}}},
                  {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "b", "namespace": "y"}},
                  {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}}
                ]}
                """.formatted(ROLE));

        assertEquals(Set.of("x/a", "y/b"), file.serviceAccounts().keySet());
        assertEquals(ROLE, file.serviceAccounts().get("x/a").annotation("role-arn"));
        assertEquals(List.of("Secret"), List.copyOf(file.ignoredKinds()));
        assertNull(file.configMapConfig());
    }

    @Test
    void readsTypedListAsKubectlPrintsIt() {
        ObjectsFile file = parse("""
                apiVersion: v1
                kind: ServiceAccountList
                items:
                  - metadata:
                      name: a
                      namespace: x
                    kind: ServiceAccount
                  - metadata:
                      name: b
                      namespace: x
                    kind: ServiceAccount
                """);

        assertEquals(Set.of("x/a", "x/b"), file.serviceAccounts().keySet());
    }

    @Test
    void defaultsNamespaceAndResourceVersionOfServiceAccounts() {
        ObjectsFile file = parse("kind: ServiceAccount\nmetadata: {name: app}\n");

        CachedServiceAccount sa = file.serviceAccounts().get("default/app");
        assertEquals("1", sa.resourceVersion());
    }

    @Test
    void readsUnquotedScalarAnnotationsAsText() {
        ObjectsFile file = parse("""
                kind: ServiceAccount
                metadata:
                  name: app
                  annotations:
                    eks.amazonaws.com/token-expiration: 3600
                    eks.amazonaws.com/sts-regional-endpoints: true
                """);

        CachedServiceAccount sa = file.serviceAccounts().get("default/app");
        assertEquals("3600", sa.annotation("token-expiration"));
        assertEquals("true", sa.annotation("sts-regional-endpoints"));
    }

    @Test
    void skipsEmptyDocuments() {
        ObjectsFile file = parse("---\n---\nkind: ServiceAccount\nmetadata: {name: app}\n---\n");

        assertEquals(Set.of("default/app"), file.serviceAccounts().keySet());
    }

    @Test
    void emptyFileHoldsNothing() {
        ObjectsFile file = parse("");

        assertTrue(file.serviceAccounts().isEmpty());
        assertNull(file.configMapConfig());
        assertTrue(file.ignoredKinds().isEmpty());
    }

    @Test
    void readsConfigMapWithoutNamespaceAsInTheWebhookNamespace() {
        ObjectsFile file = parse("kind: ConfigMap\nmetadata: {name: pod-identity-webhook}\ndata: {config: '{}'}\n");

        assertEquals("{}", file.configMapConfig());
    }

    @Test
    void treatsAnotherConfigMapAsIgnoredKind() {
        ObjectsFile file = parse("kind: ConfigMap\nmetadata: {name: something-else, namespace: eks}\ndata: {config: '{}'}\n");

        assertNull(file.configMapConfig());
        assertEquals(List.of("ConfigMap"), List.copyOf(file.ignoredKinds()));
    }

    @Test
    void ignoresWhateverOtherKindsHoldInData() {
        ObjectsFile file = parse("kind: ControllerRevision\nmetadata: {name: web-1}\ndata: {spec: {replicas: 2}}\nrevision: 1\n");

        assertEquals(List.of("ControllerRevision"), List.copyOf(file.ignoredKinds()));
    }

    @Test
    void reportsIgnoredKindsSortedAndOnce() {
        ObjectsFile file = parse("kind: Service\n---\nkind: Deployment\n---\nkind: Service\n---\nkind: Role\n");

        assertEquals(List.of("Deployment", "Role", "Service"), List.copyOf(file.ignoredKinds()));
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                argumentSet("a ConfigMap in another namespace than --namespace",
                        "kind: ConfigMap\nmetadata: {name: pod-identity-webhook, namespace: other}\ndata: {config: '{}'}\n",
                        "document 1: ConfigMap pod-identity-webhook is in namespace \"other\" but --namespace is \"eks\""),
                argumentSet("a ConfigMap in another namespace inside a List names the item",
                        "kind: ServiceAccount\nmetadata: {name: a}\n---\nkind: List\nitems:\n  - kind: Pod\n"
                                + "  - kind: ConfigMap\n    metadata: {name: pod-identity-webhook, namespace: default}\n",
                        "document 2 items[1]: ConfigMap pod-identity-webhook is in namespace \"default\" but --namespace is \"eks\""),
                argumentSet("a document that is a list", "- a\n- b\n", "document 1 is not an object"),
                argumentSet("a document without kind", "metadata: {name: app}\n", "document 1 has no kind"),
                argumentSet("a ServiceAccount without name", "kind: ServiceAccount\nmetadata: {namespace: x}\n",
                        "document 1: ServiceAccount without metadata.name"),
                argumentSet("an annotation that is a map",
                        "kind: ServiceAccount\nmetadata:\n  name: a\n  annotations:\n    eks.amazonaws.com/role-arn: {x: 1}\n",
                        "document 1: annotation eks.amazonaws.com/role-arn is not a string"),
                argumentSet("an annotation that is null",
                        "kind: ServiceAccount\nmetadata:\n  name: a\n  annotations:\n    eks.amazonaws.com/role-arn: null\n",
                        "document 1: annotation eks.amazonaws.com/role-arn is not a string"),
                argumentSet("a name that is a map inside a List names the item",
                        "kind: List\nitems:\n  - null\n  - {kind: ServiceAccount, metadata: {name: {first: a}}}\n",
                        "document 1 items[1]: metadata.name must be a string"),
                argumentSet("metadata that is a string", "kind: ServiceAccount\nmetadata: app\n",
                        "document 1: metadata must be an object"),
                argumentSet("items that are not a list", "kind: List\nitems: {kind: ServiceAccount}\n",
                        "document 1: items must be a list"));
    }

    @ParameterizedTest(name = "{argumentSetName} is rejected")
    @MethodSource("invalid")
    void rejectsInvalidContentNamingTheDocument(String text, String message) {
        assertEquals(message, rejected(text).getMessage());
    }

    @Test
    void malformedYamlMessageNamesTheDocument() {
        IllegalArgumentException e = rejected("kind: ServiceAccount\nmetadata: {name: a}\n---\nkind: [unclosed\n");

        assertTrue(e.getMessage().startsWith("document 2 is not valid YAML or JSON: "), e.getMessage());
        assertTrue(e.getMessage().indexOf('\n') < 0, "one line: " + e.getMessage());
    }

    @Test
    void malformedYamlAfterEmptyDocumentsCountsThemToo() {
        IllegalArgumentException e =
                rejected("kind: ServiceAccount\nmetadata: {name: a}\n---\n---\nkind: ServiceAccount\nmetadata: {name: [a\n");

        assertTrue(e.getMessage().startsWith("document 3 is not valid YAML or JSON: "), e.getMessage());
    }

    @Test
    void malformedJsonMessageNamesTheDocument() {
        IllegalArgumentException e = rejected("{\"kind\": \"ServiceAccount\", \"metadata\": {\"name\": ");

        assertTrue(e.getMessage().startsWith("document 1 is not valid YAML or JSON: "), e.getMessage());
    }
}
