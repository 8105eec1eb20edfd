package io.podidentity.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.podidentity.mutation.ContainerView;
import io.podidentity.mutation.PodView;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The streaming reader of AdmissionReviews: what it keeps, what it skips, how it says what is wrong. */
class AdmissionReviewsTest {

    private final AdmissionReviews reviews = new AdmissionReviews(new ObjectMapper());

    private AdmissionRequest read(String json) {
        return reviews.read(json.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
    }

    private static String review(String object) {
        return "{'apiVersion':'admission.k8s.io/v1','kind':'AdmissionReview','request':{'uid':'u1',"
                + "'kind':{'group':'','version':'v1','kind':'Pod'},'namespace':'ns','operation':'CREATE','object':" + object + "}}";
    }

    @Test
    void keepsWhatTheMutationNeedsAndSkipsTheRest() {
        AdmissionRequest request = read(review("{'apiVersion':'v1','kind':'Pod',"
                + "'metadata':{'generateName':'web-','namespace':'ns','labels':{'app':'web'},'annotations':{'a':'b'},"
                + "'ownerReferences':[{'kind':'ReplicaSet','name':'web-1'}]},"
                + "'spec':{'serviceAccountName':'sa','nodeSelector':{'kubernetes.io/os':'linux'},'os':{'name':'linux'},"
                + "'volumes':[{'name':'v1','projected':{'sources':[{'serviceAccountToken':{'path':'token'}}]}}],"
                + "'initContainers':[{'name':'init','env':[{'name':'X','valueFrom':{'fieldRef':{'fieldPath':'x'}}}]}],"
                + "'containers':[{'name':'app','image':'i','env':[{'name':'A','value':'1'},{'value':'no name'}],"
                + "'volumeMounts':[{'name':'v1','mountPath':'/v'}],'livenessProbe':{'exec':{'command':['true']}}},{'name':'side'}],"
                + "'tolerations':[{'key':'k','operator':'Exists'}]},'status':{}}"));

        assertTrue(request.isPodCreation());
        assertEquals("u1", request.uid());
        assertEquals("admission.k8s.io/v1", request.apiVersion());
        PodObject object = request.object();
        assertNull(object.problem());
        assertEquals("sa", object.serviceAccountName());
        assertEquals("ns", object.namespace());
        PodView pod = object.pod();
        assertNull(pod.name());
        assertEquals("web-", pod.generateName());
        assertEquals(Map.of("app", "web"), pod.labels());
        assertEquals(Map.of("a", "b"), pod.annotations());
        assertEquals(Map.of("kubernetes.io/os", "linux"), pod.nodeSelector());
        assertEquals("linux", pod.osName());
        assertEquals(List.of("v1"), pod.volumeNames());
        assertEquals(List.of(new ContainerView("init", List.of("X"), null)), pod.initContainers());
        assertEquals(List.of(new ContainerView("app", List.of("A", ""), List.of("v1")), new ContainerView("side", null, null)),
                pod.containers());
    }

    @Test
    void absentListsStayAbsentAndMapsEmpty() {
        PodView pod = read(review("{'metadata':{'name':'p'},'spec':{'containers':[{'name':'app'}]}}")).object().pod();
        assertEquals("p", pod.name());
        assertNull(pod.labels());
        assertEquals(Map.of(), pod.annotations());
        assertNull(pod.volumeNames());
        assertEquals(List.of(), pod.initContainers());
    }

    @Test
    void fieldOrderDoesNotMatter() {
        AdmissionRequest request = read("{'request':{'object':{'spec':{'serviceAccountName':'sa'},'kind':'Pod'},"
                + "'operation':'CREATE','namespace':'ns','uid':'u2','kind':{'kind':'Pod','version':'v1','group':''}},"
                + "'kind':'AdmissionReview','apiVersion':'admission.k8s.io/v1beta1'}");
        assertTrue(request.isPodCreation());
        assertEquals("admission.k8s.io/v1beta1", request.apiVersion());
        assertEquals("sa", request.object().serviceAccountName());
    }

    @Test
    void resourceKindFallsBackToTheObjectsKind() {
        AdmissionRequest request = read("{'request':{'uid':'u','operation':'CREATE','object':{'kind':'Pod','spec':{}}}}");
        assertEquals("Pod", request.resourceKind());
        assertTrue(request.isPodCreation());
    }

    @Test
    void scalarsAreReadAsJacksonWouldAsText() {
        AdmissionRequest request = read("{'request':{'uid':42,'dryRun':'true','namespace':null,'operation':['x'],"
                + "'object':{'kind':'Pod','metadata':{'name':7,'namespace':'from-object'},'spec':{'serviceAccountName':{'x':1}}}}}");
        assertEquals("42", request.uid());
        assertTrue(request.dryRun());
        assertEquals("", request.namespace());
        assertEquals("", request.operation());
        assertNull(request.object().pod().name(), "a name that is not a string is no name");
        assertEquals("from-object", request.object().namespace());
        assertEquals("", request.object().serviceAccountName());
        assertFalse(read("{'request':{'dryRun':0,'object':{}}}").dryRun());
        assertTrue(read("{'request':{'dryRun':1,'object':{}}}").dryRun());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "null | request.object is missing; expected the Pod being created",
        "7 | request.object is not a JSON object",
        "{'spec':{'volumes':{}}} | request.object.spec.volumes is not an array",
        "{'spec':{'volumes':['v']}} | request.object.spec.volumes[0] is not an object",
        "{'spec':{'containers':[{'name':'a'},3]}} | request.object.spec.containers[1] is not an object",
        "{'spec':{'containers':[{'name':'a','env':'x'}]}} | request.object.spec.containers[0].env is not an array",
        "{'spec':{'initContainers':[{'volumeMounts':[1]}]}} | request.object.spec.initContainers[0].volumeMounts[0] is not an object",
        "{'metadata':{'annotations':[]}} | request.object.metadata.annotations is not an object",
        "{'metadata':{'labels':{'a':1}}} | request.object.metadata.labels[\"a\"] is not a string",
        "{'spec':{'nodeSelector':{'os':true}}} | request.object.spec.nodeSelector[\"os\"] is not a string",
        "{'spec':{'volumes':5,'containers':'x'}} | request.object.spec.volumes is not an array",
        "{'spec':{}} | request.object.metadata is missing; expected the pod's metadata",
        "{'metadata':{}} | request.object.spec is missing; expected the pod's spec",
        "{'metadata':5,'spec':{}} | request.object.metadata is not an object",
        "{'metadata':{},'spec':null} | request.object.spec is not an object",
    })
    void anUnusablePodSaysWhyAndTheRestIsStillRead(String object, String problem) {
        AdmissionRequest request = read("{'request':{'uid':'u3','operation':'CREATE','object':" + object
                + ",'kind':{'group':'','version':'v1','kind':'Pod'},'namespace':'after-the-object'}}");
        assertEquals(problem, request.object().problem());
        assertNull(request.object().pod());
        assertEquals("u3", request.uid());
        assertEquals("after-the-object", request.namespace());
        assertTrue(request.isPodCreation());
    }

    @Test
    void aMissingObjectIsAProblemOnlyForThePod() {
        AdmissionRequest request = read("{'request':{'uid':'u','kind':{'group':'apps','version':'v1','kind':'Deployment'}}}");
        assertFalse(request.isPodCreation());
        assertEquals(PodObject.MISSING, request.object().problem());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "'' | the request body is empty; expected an AdmissionReview",
        "[] | the request body is not a JSON object; expected an AdmissionReview",
        "'  ' | the request body is not a JSON object; expected an AdmissionReview",
        "{} | the AdmissionReview has no request",
        "{'request':null} | the AdmissionReview has no request",
        "{'request':[1]} | request is not a JSON object",
        "{'kind':'Pod','request':{}} | kind is \"Pod\"; expected AdmissionReview",
        "{'apiVersion':'v1','request':{}} | apiVersion \"v1\" is not supported; expected admission.k8s.io/v1 or admission.k8s.io/v1beta1",
        "{'request':{'uid':'u' | the request body is not valid JSON: Unexpected end-of-input: expected close marker for Object (start marker at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 12]) at line 1, column 22",
    })
    void anUnusableReviewSaysWhy(String body, String message) {
        BadReviewException e = assertThrows(BadReviewException.class, () -> read(body));
        assertEquals(message, e.getMessage());
    }

    /** Jackson's stream limits raise exceptions without a location; each still names the problem. */
    @Test
    void streamLimitsAreBadReviewsWithTheirReason() {
        String deep = "[".repeat(1_500) + "]".repeat(1_500);
        BadReviewException nesting = assertThrows(BadReviewException.class,
                () -> read(review("{'spec':{'x':" + deep + "}}")));
        assertTrue(nesting.getMessage().startsWith("the request body is not valid JSON: Document nesting depth"),
                nesting.getMessage());

        String digits = "1".repeat(1_500);
        BadReviewException number = assertThrows(BadReviewException.class,
                () -> read(review("{'spec':{'x':" + digits + "}}")));
        assertTrue(number.getMessage().startsWith("the request body is not valid JSON: Number value length"),
                number.getMessage());
    }

    /**
     * A key twice in one object, at any depth (the fuzzer's find: a second {@code spec} without
     * containers, after one with them): refused, since the reader and a patch's applier could
     * each see a different pod.
     */
    @Test
    void aDuplicateKeyAnywhereIsABadReview() {
        BadReviewException spec = assertThrows(BadReviewException.class, () -> read(review(
                "{'spec':{'containers':[{'name':'app'}]},'spec':{'nodeSelector':{}}}")));
        assertTrue(spec.getMessage().startsWith("the request body is not valid JSON: Duplicate field 'spec'"),
                spec.getMessage());
        BadReviewException deep = assertThrows(BadReviewException.class, () -> read(review(
                "{'spec':{'containers':[{'name':'app','env':[{'name':'A','name':'B'}]}]}}")));
        assertTrue(deep.getMessage().contains("Duplicate field 'name'"), deep.getMessage());
    }

    @Test
    void aNearLimitPodIsReadWithoutKeepingItsBulk() {
        StringBuilder env = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            env.append(i == 0 ? "" : ",").append("{'name':'E").append(i).append("','value':'").append("x".repeat(4000)).append("'}");
        }
        AdmissionRequest request = read(review("{'metadata':{},'spec':{'containers':[{'name':'app','env':[" + env + "]}]}}"));
        List<String> names = request.object().pod().containers().get(0).envNames();
        assertEquals(400, names.size());
        assertEquals("E399", names.get(399));
    }
}
