package io.podidentity.admission;

import io.podidentity.mutation.PodView;

/**
 * {@code request.object} as read: the pod's view, or why it cannot be used as a pod.
 *
 * @param pod the view the mutation works on; null when {@code problem} is set
 * @param kind {@code object.kind} or ""
 * @param namespace {@code object.metadata.namespace} or ""
 * @param serviceAccountName {@code object.spec.serviceAccountName} or ""
 * @param problem what makes the object unusable, or null
 */
record PodObject(PodView pod, String kind, String namespace, String serviceAccountName, String problem) {

    static final String MISSING = "request.object is missing; expected the Pod being created";

    static PodObject unusable(String problem) {
        return new PodObject(null, "", "", "", problem);
    }
}
