package io.podidentity.oidc;

import java.util.List;

/**
 * How one statement of a trust policy judged a token.
 *
 * @param index position in the policy's {@code Statement} list, from 0
 * @param allow whether the statement's {@code Effect} is {@code Allow}
 * @param checks effect, action, principal, then each condition
 */
public record StatementEvaluation(int index, boolean allow, List<Check> checks) {

    public StatementEvaluation {
        checks = List.copyOf(checks);
    }

    /** Whether this statement lets the token assume the role. */
    public boolean allows() {
        return allow && checks.stream().allMatch(Check::passed);
    }
}
