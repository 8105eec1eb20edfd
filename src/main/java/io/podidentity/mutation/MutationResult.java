package io.podidentity.mutation;

import java.util.List;

/**
 * What the mutation decided.
 *
 * @param patch additive operations; empty when the pod already has everything
 * @param warnings misconfigurations to return to the client as admission warnings
 * @param tokenExpirationSeconds the token lifetime that applies (after pod overrides and jitter)
 * @param mutatedContainers names of the containers that received env or a mount
 */
public record MutationResult(
        List<PatchOperation> patch, List<String> warnings, long tokenExpirationSeconds, List<String> mutatedContainers) {

    public boolean changed() {
        return !patch.isEmpty();
    }
}
