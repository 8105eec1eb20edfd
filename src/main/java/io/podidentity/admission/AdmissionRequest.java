package io.podidentity.admission;

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
 * @param object {@code request.object} as read
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
        PodObject object) {

    /** This request inside a review of the given apiVersion and kind. */
    AdmissionRequest withEnvelope(String reviewApiVersion, String reviewKind) {
        return new AdmissionRequest(reviewApiVersion, reviewKind, uid, group, version, resourceKind, subResource,
                operation, namespace, dryRun, object);
    }

    boolean isPodCreation() {
        return group.isEmpty()
                && "Pod".equals(resourceKind)
                && subResource.isEmpty()
                && (operation.isEmpty() || "CREATE".equals(operation));
    }
}
