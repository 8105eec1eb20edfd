package io.podidentity.identity;

import io.podidentity.mutation.Identity;
import java.util.List;

/**
 * The outcome of looking up a pod's ServiceAccount.
 *
 * @param identity what to inject, or {@code null} when the pod is left alone
 * @param outcome why
 * @param warnings misconfigurations found on the way, for admission warnings
 */
public record Resolution(Identity identity, Outcome outcome, List<String> warnings) {

    /** Why a pod gets (or does not get) an identity; {@link #description()} goes into the decision log. */
    public enum Outcome {
        CONTAINER_CREDENTIALS("listed in the container credentials config"),
        SERVICE_ACCOUNT_ROLE("ServiceAccount role-arn annotation"),
        CONFIG_MAP_ROLE("pod-identity-webhook ConfigMap entry"),
        NO_ROLE("ServiceAccount has no role-arn annotation and no ConfigMap entry"),
        NO_SERVICE_ACCOUNT_NAME("pod has no spec.serviceAccountName"),
        SERVICE_ACCOUNT_MISSING("ServiceAccount not found in the cache");

        private final String description;

        Outcome(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }
}
