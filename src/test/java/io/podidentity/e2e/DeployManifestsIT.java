package io.podidentity.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The install in {@code deploy/}: every shipped overlay and component combination renders with
 * the kubectl built alongside the API server, is consistent about its namespace, passes the
 * webhook's own flag parser, and every rendered object is accepted by the real kube-apiserver
 * with cert-manager's CRDs installed (server-side apply, strict field validation, server dry run
 * so the webhook configuration never reaches the clusters the other tests use).
 */
@ExtendWith(ControlPlaneExtension.class)
class DeployManifestsIT {

    private static final Path DEPLOY = Path.of("deploy").toAbsolutePath();
    /** Generated kustomizations combining deploy/'s pieces; kustomize wants relative paths. */
    private static final Path WORK = Path.of("target", "e2e", "deploy").toAbsolutePath();
    private static final List<String> COMPONENTS = List.of(
            "components/configmap-mode", "components/pod-identity", "components/region", "components/jvm",
            "components/single-node", "components/host-network", "components/existing-issuer",
            "components/no-cert-manager");
    /** Every component that can be combined with all the others (no-cert-manager excludes existing-issuer). */
    private static final List<String> COMBINABLE = COMPONENTS.stream()
            .filter(c -> !c.equals("components/no-cert-manager")).toList();
    private static final String NAME = "pod-identity-webhook";

    /** One way of installing: a base or overlay plus components, and the namespace it must end up in. */
    record Install(String name, String resource, List<String> components, String namespace) {

        @Override
        public String toString() {
            return name;
        }
    }

    /** A user's copy of {@code overlays/namespace} whose only change is its {@code namespace:} line. */
    private static final String COPIED = "copied overlays/namespace";

    static Stream<Install> installs() {
        List<Install> installs = new ArrayList<>();
        for (String overlay : List.of("base", "overlays/kube-system", "overlays/namespace", COPIED)) {
            String namespace = switch (overlay) {
                case "overlays/kube-system" -> "kube-system";
                case COPIED -> "my-team";
                default -> NAME;
            };
            String prefix = overlay.replace('/', '-').replace(' ', '-');
            installs.add(new Install(prefix, overlay, List.of(), namespace));
            for (String component : COMPONENTS) {
                installs.add(new Install(prefix + "+" + component.substring("components/".length()), overlay,
                        List.of(component), namespace));
            }
            installs.add(new Install(prefix + "+all-components", overlay, COMBINABLE, namespace));
        }
        return installs.stream();
    }

    @BeforeAll
    static void installCertManagerCrds(ControlPlane controlPlane) {
        CertManagerCrds.install(controlPlane);
        // A dry run cannot create the Namespace its other objects go to: they must exist.
        installs().map(Install::namespace).distinct().forEach(namespace -> {
            if (controlPlane.client().namespaces().withName(namespace).get() == null) {
                controlPlane.client().namespaces().resource(new NamespaceBuilder().withNewMetadata()
                        .withName(namespace).endMetadata().build()).create();
            }
        });
        // The base creates its namespace; a server dry run does not, so the namespaced objects
        // would be refused for a namespace that does not exist.
        if (controlPlane.kubectl("get", "namespace", NAME).exitCode() != 0) {
            controlPlane.kubectl("create", "namespace", NAME).requireSuccess("create namespace " + NAME);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("installs")
    void everyRenderedObjectIsAcceptedByTheApiServer(Install install, ControlPlane controlPlane) {
        Path rendered = render(install, controlPlane);
        List<JsonNode> objects = parse(rendered);

        // --force-conflicts: CertManagerIssuanceIT may own fields of the same objects; nothing is stored.
        Processes.Result applied = controlPlane.kubectl("apply", "--server-side", "--dry-run=server",
                "--force-conflicts", "--validate=strict", "--field-manager=deploy-manifests-it", "-f",
                rendered.toString());
        assertEquals(0, applied.exitCode(), () -> "the API server refused part of " + install + ":\n"
                + applied.stderr() + "\n" + applied.stdout());
        List<String> accepted = applied.stdout().lines().filter(line -> line.endsWith("(server dry run)")).toList();
        assertEquals(objects.size(), accepted.size(), () -> "not every object was applied:\n" + applied.stdout());
        assertTrue(applied.stderr().isBlank(), () -> "warnings from the API server:\n" + applied.stderr());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("installs")
    void everyNamespaceReferenceFollowsTheInstallNamespace(Install install, ControlPlane controlPlane) {
        String ns = install.namespace();
        List<JsonNode> objects = parse(render(install, controlPlane));
        for (JsonNode object : objects) {
            String kind = object.path("kind").asText();
            boolean clusterScoped = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding",
                    "MutatingWebhookConfiguration").contains(kind);
            assertEquals(clusterScoped ? "" : ns, object.at("/metadata/namespace").asText(),
                    () -> kind + " " + object.at("/metadata/name").asText() + " in the wrong namespace");
            for (JsonNode subject : object.path("subjects")) {
                assertEquals(ns, subject.path("namespace").asText(), kind + " subject");
            }
        }
        JsonNode webhookConfiguration = only(objects, "MutatingWebhookConfiguration", NAME);
        assertEquals(ns, webhookConfiguration.at("/webhooks/0/clientConfig/service/namespace").asText());
        if (install.components().contains("components/no-cert-manager")) {
            assertTrue(webhookConfiguration.at("/metadata/annotations").path("cert-manager.io/inject-ca-from").isMissingNode());
            assertEquals(List.of(), objects.stream().filter(o -> o.path("apiVersion").asText().startsWith("cert-manager.io/"))
                    .map(o -> o.path("kind").asText()).toList(), "no cert-manager objects");
        } else {
            assertEquals(ns + "/" + NAME,
                    webhookConfiguration.at("/metadata/annotations").path("cert-manager.io/inject-ca-from").asText());
            JsonNode certificate = only(objects, "Certificate", NAME);
            assertEquals(List.of(NAME, NAME + "." + ns, NAME + "." + ns + ".svc", NAME + "." + ns + ".svc.cluster.local"),
                    texts(certificate.at("/spec/dnsNames")));
        }
        assertTrue(args(objects).contains("--namespace=" + ns), () -> "args " + args(objects));
        assertEquals(install.namespace().equals("kube-system") ? List.of() : List.of(ns), objects.stream()
                .filter(object -> object.path("kind").asText().equals("Namespace"))
                .map(object -> object.at("/metadata/name").asText()).toList(), "Namespace object");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("installs")
    void containerArgsAreFlagsTheWebhookAccepts(Install install, ControlPlane controlPlane) {
        List<JsonNode> objects = parse(render(install, controlPlane));
        List<String> args = args(objects);
        assertEquals(List.of("/webhook"),
                texts(only(objects, "Deployment", NAME).at("/spec/template/spec/containers/0/command")));
        if (install.components().contains("components/configmap-mode")) {
            assertTrue(args.contains("--watch-config-map=true"), () -> "args " + args);
        }
        if (install.components().contains("components/region")) {
            assertTrue(args.contains("--sts-regional-endpoint=true") && args.contains("--aws-default-region=us-east-1"),
                    () -> "args " + args);
        }
        // --version exits 0 only once every flag before it has been parsed and validated.
        List<String> command = new ArrayList<>(Launcher.command());
        command.addAll(args);
        command.add("--version");
        Processes.Result result = Processes.run(Duration.ofMinutes(1), null, command.toArray(String[]::new));
        assertEquals(0, result.exitCode(), () -> "the webhook refused the Deployment's args " + args + ":\n"
                + result.stderr());
    }

    /**
     * {@code kubectl drain} evicts while the budget allows: with two replicas on two nodes
     * minAvailable 1 lets each go in turn, with one replica on one node only maxUnavailable 1 does.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("installs")
    void replicasAndDisruptionBudgetLetADrainThrough(Install install, ControlPlane controlPlane) {
        List<JsonNode> objects = parse(render(install, controlPlane));
        JsonNode deployment = only(objects, "Deployment", NAME);
        JsonNode budget = only(objects, "PodDisruptionBudget", NAME).path("spec");
        if (install.components().contains("components/single-node")) {
            assertEquals(1, deployment.at("/spec/replicas").asInt());
            assertEquals(1, budget.path("maxUnavailable").asInt(), budget::toString);
            assertTrue(budget.path("minAvailable").isMissingNode(), budget::toString);
        } else {
            assertEquals(2, deployment.at("/spec/replicas").asInt());
            assertEquals(1, budget.path("minAvailable").asInt(), budget::toString);
        }
        assertEquals(120, deployment.at("/spec/template/spec/containers/0/startupProbe/periodSeconds").asInt()
                * deployment.at("/spec/template/spec/containers/0/startupProbe/failureThreshold").asInt(),
                "two minutes to start before the liveness probe counts");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("installs")
    void rbacGrantsOnlyServiceAccountReadsAndItsOwnConfigMaps(Install install, ControlPlane controlPlane) {
        Set<String> grants = new TreeSet<>();
        for (JsonNode object : parse(render(install, controlPlane))) {
            String kind = object.path("kind").asText();
            if (kind.equals("ClusterRole") || kind.equals("Role")) {
                for (JsonNode rule : object.path("rules")) {
                    grants.add(kind + " " + texts(rule.path("apiGroups")) + " " + texts(rule.path("resources")) + " "
                            + texts(rule.path("verbs")));
                }
            }
        }
        Set<String> expected = new TreeSet<>(Set.of("ClusterRole [] [serviceaccounts] [get, list, watch]"));
        if (install.components().contains("components/configmap-mode")) {
            expected.add("Role [] [configmaps] [get, list, watch]");
        }
        // The core API group "" prints as [].
        assertEquals(expected, grants);
    }

    private static long diffLines(String a, String b) {
        List<String> left = a.lines().toList();
        List<String> right = b.lines().toList();
        assertEquals(left.size(), right.size());
        return IntStream.range(0, left.size()).filter(i -> !left.get(i).equals(right.get(i))).count();
    }

    /**
     * deploy/README.md's "Without cert-manager" commands, run as written (bash, openssl, the
     * kubectl of the control plane): they store a key pair for the Service's four names, signed
     * by the CA whose file goes into the caBundle.
     */
    @Test
    void theWithoutCertManagerCommandsStoreACertificateForTheServiceSignedByTheCa(ControlPlane controlPlane)
            throws Exception {
        String readme = Files.readString(DEPLOY.resolve("README.md"));
        String section = readme.substring(readme.indexOf("## Without cert-manager"));
        String script = section.substring(section.indexOf("```sh\n") + 6, section.indexOf("```\n", section.indexOf("```sh\n") + 6));
        Path dir = Files.createDirectories(WORK.resolve("without-cert-manager"));
        controlPlane.kubectl("-n", NAME, "delete", "secret", NAME + "-cert", "--ignore-not-found");
        Path kubectl = Path.of(controlPlane.env("KUBECTL")).getParent();
        Processes.Result result = Processes.run(Duration.ofMinutes(1), Map.of(
                        "KUBECONFIG", controlPlane.kubeconfig().toString(),
                        "PATH", kubectl + ":" + System.getenv("PATH")),
                "bash", "-euo", "pipefail", "-c", "cd " + dir + " && " + script);
        assertEquals(0, result.exitCode(), () -> script + "\n" + result.stderr());

        var secret = controlPlane.client().secrets().inNamespace(NAME).withName(NAME + "-cert").get();
        var factory = java.security.cert.CertificateFactory.getInstance("X.509");
        var certificate = (java.security.cert.X509Certificate) factory.generateCertificate(
                new java.io.ByteArrayInputStream(java.util.Base64.getDecoder().decode(secret.getData().get("tls.crt"))));
        var ca = (java.security.cert.X509Certificate) factory.generateCertificate(Files.newInputStream(dir.resolve("ca.crt")));
        certificate.verify(ca.getPublicKey());
        List<String> names = certificate.getSubjectAlternativeNames().stream().map(n -> n.get(1).toString()).toList();
        assertEquals(List.of(NAME, NAME + "." + NAME, NAME + "." + NAME + ".svc", NAME + "." + NAME + ".svc.cluster.local"),
                names);
        assertTrue(certificate.getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.1"), "server auth");
        controlPlane.kubectl("-n", NAME, "delete", "secret", NAME + "-cert", "--ignore-not-found");
    }

    /** Writes a kustomization combining the install's pieces and renders it to a file. */
    private static Path render(Install install, ControlPlane controlPlane) {
        Path dir = WORK.resolve(install.name().replace('+', '_'));
        StringBuilder kustomization = new StringBuilder("""
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                """);
        if (install.resource().equals(COPIED)) {
            // The copy lives in the user's repository: its paths to deploy/ are rebased, and its
            // namespace: line is the one line they change.
            Path copy = dir.resolve("copy");
            try {
                Files.createDirectories(copy);
                String original = Files.readString(DEPLOY.resolve("overlays/namespace/kustomization.yaml"));
                String changed = original.replace("\nnamespace: " + NAME + "\n", "\nnamespace: " + install.namespace() + "\n")
                        .replace("../../", copy.relativize(DEPLOY) + "/");
                assertEquals(1, diffLines(original, changed.replace(copy.relativize(DEPLOY) + "/", "../../")),
                        "the copy differs from overlays/namespace in its namespace: line only");
                Files.writeString(copy.resolve("kustomization.yaml"), changed);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            kustomization.append("  - copy\n");
        } else {
            kustomization.append("  - ").append(dir.relativize(DEPLOY.resolve(install.resource()))).append('\n');
        }
        if (!install.components().isEmpty()) {
            kustomization.append("components:\n");
            for (String component : install.components()) {
                kustomization.append("  - ").append(dir.relativize(DEPLOY.resolve(component))).append('\n');
            }
        }
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("kustomization.yaml"), kustomization);
            Processes.Result result = controlPlane.kubectl("kustomize", dir.toString())
                    .requireSuccess("render " + install);
            Path rendered = dir.resolve("rendered.yaml");
            Files.writeString(rendered, result.stdout());
            return rendered;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<JsonNode> parse(Path rendered) {
        try (MappingIterator<JsonNode> documents = new YAMLMapper().readerFor(JsonNode.class)
                .readValues(rendered.toFile())) {
            List<JsonNode> objects = documents.readAll().stream().filter(node -> !node.isEmpty()).toList();
            assertFalse(objects.isEmpty(), rendered + " is empty");
            return objects;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + rendered, e);
        }
    }

    private static JsonNode only(List<JsonNode> objects, String kind, String name) {
        List<JsonNode> matches = objects.stream()
                .filter(object -> object.path("kind").asText().equals(kind))
                .filter(object -> object.at("/metadata/name").asText().equals(name))
                .toList();
        assertEquals(1, matches.size(), () -> "expected one " + kind + " " + name);
        return matches.get(0);
    }

    private static List<String> args(List<JsonNode> objects) {
        return texts(only(objects, "Deployment", NAME).at("/spec/template/spec/containers/0/args"));
    }

    private static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }
}
