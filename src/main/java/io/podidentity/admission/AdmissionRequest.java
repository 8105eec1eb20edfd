package io.podidentity.admission;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The fields of an AdmissionReview request this webhook reads.
 *
 * @param apiVersion the review's apiVersion, echoed in the answer
 * @param kind the review's kind, echoed in the answer
 * @param uid {@code request.uid}
 * @param group {@code request.kind.group} ("" for core)
 * @param version {@code request.kind.version}
 * @param resourceKind {@code request.kind.kind}
 * @param subResource {@code request.subResource} or ""
 * @param operation {@code request.operation} or ""
 * @param namespace {@code request.namespace} or ""
 * @param dryRun {@code request.dryRun}
 * @param object {@code request.object} (missing node when absent)
 */
record AdmissionRequest(
        String apiVersion,
        String kind,
        String uid,
        String group,
        String version,
        String resourceKind,
        String subResource,
        String operation,
        String namespace,
        boolean dryRun,
        JsonNode object) {

    boolean isPodCreation() {
        return group.isEmpty()
                && "Pod".equals(resourceKind)
                && subResource.isEmpty()
                && (operation.isEmpty() || "CREATE".equals(operation));
    }
}
