package io.podidentity.oidc;

import java.util.List;

/**
 * How a role's trust policy judged a token, statement by statement.
 *
 * @param statements one per statement, in policy order
 */
public record PolicyEvaluation(List<StatementEvaluation> statements) {

    public PolicyEvaluation {
        statements = List.copyOf(statements);
    }

    /**
     * Accepted when an {@code Allow} statement passes every check. Deny statements are not
     * evaluated, so a policy that has one is never reported as accepting.
     */
    public boolean allows() {
        return statements.stream().anyMatch(StatementEvaluation::allows)
                && statements.stream().allMatch(StatementEvaluation::allow);
    }
}
