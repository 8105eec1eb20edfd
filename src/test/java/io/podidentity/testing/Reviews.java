package io.podidentity.testing;

/** AdmissionReviews as kube-apiserver sends them, for tests that post straight to the webhook. */
public final class Reviews {

    private Reviews() {}

    /**
     * A pod CREATE for {@code serviceAccount} in {@code namespace}, one container with a gRPC
     * startup probe (a field some models lack, which must survive).
     */
    public static String podCreation(String apiVersion, String uid, String namespace, String serviceAccount) {
        return """
                {"apiVersion":"%s","kind":"AdmissionReview","request":{"uid":"%s",
                 "kind":{"group":"","version":"v1","kind":"Pod"},
                 "resource":{"group":"","version":"v1","resource":"pods"},
                 "namespace":"%s","operation":"CREATE",
                 "object":{"apiVersion":"v1","kind":"Pod","metadata":{"generateName":"app-"},
                   "spec":{"serviceAccountName":"%s","containers":[{"name":"app","image":"busybox",
                     "startupProbe":{"grpc":{"port":9000}}}]}}}}
                """.formatted(apiVersion, uid, namespace, serviceAccount);
    }
}
