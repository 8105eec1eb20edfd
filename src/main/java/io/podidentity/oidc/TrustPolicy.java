package io.podidentity.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An IAM role trust policy ({@code assume_role_policy}), evaluated for
 * {@code sts:AssumeRoleWithWebIdentity} with one token. Supports what IRSA roles use: the
 * {@code Federated} principal of the issuer's OIDC provider and {@code StringEquals} /
 * {@code StringLike} conditions on {@code <host/path>:sub} and {@code <host/path>:aud}; anything
 * else is reported as unsupported rather than guessed.
 */
public final class TrustPolicy {

    private static final String ACTION = "sts:AssumeRoleWithWebIdentity";

    private final JsonNode document;

    private TrustPolicy(JsonNode document) {
        this.document = document;
    }

    /**
     * @param what names the document in error messages
     * @throws IllegalArgumentException when the text is not a policy with a {@code Statement}
     */
    public static TrustPolicy parse(String text, String what) {
        JsonNode node = PrettyJson.readObject(text, what);
        JsonNode statements = node.path("Statement");
        if (!statements.isObject() && !(statements.isArray() && statements.size() > 0)) {
            throw new IllegalArgumentException(what + " has no \"Statement\"; it is not an IAM policy");
        }
        return new TrustPolicy(node);
    }

    public PolicyEvaluation evaluate(Issuer issuer, Jwt token) {
        JsonNode statements = document.path("Statement");
        List<JsonNode> list = new ArrayList<>();
        if (statements.isArray()) {
            statements.forEach(list::add);
        } else {
            list.add(statements);
        }
        List<StatementEvaluation> results = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            results.add(statement(i, list.get(i), issuer, token));
        }
        return new PolicyEvaluation(results);
    }

    private static StatementEvaluation statement(int index, JsonNode statement, Issuer issuer, Jwt token) {
        List<Check> checks = new ArrayList<>();
        String effect = statement.path("Effect").asText("");
        boolean allow = effect.equals("Allow");
        checks.add(allow ? Check.pass("Effect", "Allow")
                : Check.unsupported("Effect", "\"" + effect + "\" statements are not evaluated"));
        List<String> actions = strings(statement.path("Action"));
        checks.add(actions.stream().anyMatch(a -> StringLike.matches(a.toLowerCase(Locale.ROOT), ACTION.toLowerCase(Locale.ROOT)))
                ? Check.pass("Action", actions + " includes " + ACTION)
                : Check.fail("Action", actions + " does not include " + ACTION));
        checks.add(principal(statement.path("Principal"), issuer));
        for (Map.Entry<String, JsonNode> operator : statement.path("Condition").properties()) {
            for (Map.Entry<String, JsonNode> condition : operator.getValue().properties()) {
                checks.add(condition(operator.getKey(), condition.getKey(), strings(condition.getValue()), issuer, token));
            }
        }
        return new StatementEvaluation(index, allow, checks);
    }

    private static Check principal(JsonNode principal, Issuer issuer) {
        List<String> federated = strings(principal.path("Federated"));
        String suffix = ":oidc-provider/" + issuer.hostPath();
        if (federated.isEmpty()) {
            return Check.fail("Principal", "no Federated principal; expected arn:aws:iam::<account>" + suffix);
        }
        return federated.stream().anyMatch(arn -> arn.endsWith(suffix))
                ? Check.pass("Principal", "Federated " + federated + " is the OIDC provider of " + issuer.hostPath())
                : Check.fail("Principal", "Federated " + federated + " is not the OIDC provider of this issuer; expected "
                        + "arn:aws:iam::<account>" + suffix);
    }

    private static Check condition(String operator, String key, List<String> expected, Issuer issuer, Jwt token) {
        String name = operator + " " + key;
        if (!operator.equals("StringEquals") && !operator.equals("StringLike")) {
            return Check.unsupported(name, "only StringEquals and StringLike are evaluated");
        }
        int colon = key.lastIndexOf(':');
        String prefix = colon < 0 ? key : key.substring(0, colon);
        String claim = colon < 0 ? "" : key.substring(colon + 1);
        if (!prefix.equalsIgnoreCase(issuer.hostPath())) {
            return Check.fail(name, "the key is not about this issuer; STS only sets keys starting with "
                    + issuer.hostPath() + ":");
        }
        List<String> actual = switch (claim) {
            case "sub" -> List.of(token.claims().path("sub").asText(""));
            case "aud" -> token.audiences();
            default -> null;
        };
        if (actual == null) {
            return Check.unsupported(name, "only the :sub and :aud keys are evaluated");
        }
        boolean like = operator.equals("StringLike");
        for (String value : actual) {
            for (String wanted : expected) {
                if (like ? StringLike.matches(wanted, value) : wanted.equals(value)) {
                    return Check.pass(name, "\"" + value + "\"" + (like ? " matches " : " equals ") + "\"" + wanted + "\"");
                }
            }
        }
        return Check.fail(name, claim + " " + quoted(actual) + (like ? " matches none of " : " equals none of ")
                + quoted(expected));
    }

    private static String quoted(List<String> values) {
        return values.stream().map(v -> "\"" + v + "\"").toList().toString();
    }

    private static List<String> strings(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(value -> values.add(value.asText()));
        } else if (node.isValueNode() && !node.isNull()) {
            values.add(node.asText());
        }
        return values;
    }
}
