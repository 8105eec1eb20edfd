package io.podidentity.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Trust policies of IRSA roles against a token for system:serviceaccount:ns:app, audience sts.amazonaws.com. */
class TrustPolicyTest {

    static final Issuer ISSUER = Issuer.parse("https://oidc.example.test/cluster");
    static final String PROVIDER = "arn:aws:iam::111122223333:oidc-provider/oidc.example.test/cluster";
    static final Jwt TOKEN = Jwt.parse(TestTokens.sign(TestTokens.rsaKeyPair(), "k",
            TestTokens.serviceAccountClaims(ISSUER.url(), "system:serviceaccount:ns:app", 1_800_000_000L)));

    static String policy(String principal, String condition) {
        return """
                {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "%s"},
                 "Action": "sts:AssumeRoleWithWebIdentity", "Condition": %s}]}""".formatted(principal, condition);
    }

    static Stream<Arguments> policies() {
        return Stream.of(
                Arguments.of("StringEquals on sub and aud accepts the matching token",
                        policy(PROVIDER, """
                                {"StringEquals": {"oidc.example.test/cluster:sub": "system:serviceaccount:ns:app",
                                                  "oidc.example.test/cluster:aud": "sts.amazonaws.com"}}"""),
                        true, "PASS PASS PASS PASS PASS"),
                Arguments.of("StringEquals on another subject refuses the token",
                        policy(PROVIDER, """
                                {"StringEquals": {"oidc.example.test/cluster:sub": "system:serviceaccount:ns:other"}}"""),
                        false, "PASS PASS PASS FAIL"),
                Arguments.of("a list of subjects accepts any of them",
                        policy(PROVIDER, """
                                {"StringEquals": {"oidc.example.test/cluster:sub": ["system:serviceaccount:x:y", "system:serviceaccount:ns:app"]}}"""),
                        true, "PASS PASS PASS PASS"),
                Arguments.of("StringLike with a star accepts every ServiceAccount of the namespace",
                        policy(PROVIDER, """
                                {"StringLike": {"oidc.example.test/cluster:sub": "system:serviceaccount:ns:*"}}"""),
                        true, "PASS PASS PASS PASS"),
                Arguments.of("StringLike with a question mark matches exactly one character",
                        policy(PROVIDER, """
                                {"StringLike": {"oidc.example.test/cluster:sub": "system:serviceaccount:ns:ap?"}}"""),
                        true, "PASS PASS PASS PASS"),
                Arguments.of("StringLike without a wildcard is an exact match",
                        policy(PROVIDER, """
                                {"StringLike": {"oidc.example.test/cluster:sub": "system:serviceaccount:ns"}}"""),
                        false, "PASS PASS PASS FAIL"),
                Arguments.of("a principal for another issuer refuses the token",
                        policy("arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC", "{}"),
                        false, "PASS PASS FAIL"),
                Arguments.of("a condition key for another issuer fails",
                        policy(PROVIDER, """
                                {"StringEquals": {"oidc.eks.us-east-1.amazonaws.com/id/ABC:sub": "system:serviceaccount:ns:app"}}"""),
                        false, "PASS PASS PASS FAIL"),
                Arguments.of("condition keys are matched to the issuer case-insensitively",
                        policy(PROVIDER, """
                                {"StringEquals": {"OIDC.example.test/cluster:aud": "sts.amazonaws.com"}}"""),
                        true, "PASS PASS PASS PASS"),
                Arguments.of("the amr key is reported as unsupported",
                        policy(PROVIDER, """
                                {"StringEquals": {"oidc.example.test/cluster:amr": "authenticated"}}"""),
                        false, "PASS PASS PASS UNSUPPORTED"),
                Arguments.of("other operators are reported as unsupported",
                        policy(PROVIDER, """
                                {"StringNotEquals": {"oidc.example.test/cluster:sub": "x"}}"""),
                        false, "PASS PASS PASS UNSUPPORTED"),
                Arguments.of("another action refuses the token",
                        policy(PROVIDER, "{}").replace("sts:AssumeRoleWithWebIdentity", "sts:AssumeRole"),
                        false, "PASS FAIL PASS"),
                Arguments.of("a deny statement is not evaluated, so the token is not known to be accepted",
                        policy(PROVIDER, "{}").replace("Allow", "Deny"),
                        false, "UNSUPPORTED PASS PASS"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("policies")
    void evaluatesTheTrustPolicy(String scenario, String policy, boolean allows, String outcomes) {
        PolicyEvaluation evaluation = TrustPolicy.parse(policy, "policy").evaluate(ISSUER, TOKEN);

        assertEquals(outcomes, evaluation.statements().get(0).checks().stream()
                .map(check -> check.outcome().name()).collect(Collectors.joining(" ")), evaluation.toString());
        assertEquals(allows, evaluation.allows());
    }

    @ParameterizedTest(name = "\"{0}\" against \"{1}\" is {2}")
    @MethodSource("patterns")
    void stringLikeWildcards(String pattern, String value, boolean matches) {
        assertEquals(matches, StringLike.matches(pattern, value));
    }

    static List<Arguments> patterns() {
        return List.of(
                Arguments.of("*", "", true),
                Arguments.of("a*c", "abbbc", true),
                Arguments.of("a*c", "abbbd", false),
                Arguments.of("a?c", "abc", true),
                Arguments.of("a?c", "ac", false),
                Arguments.of("*:ns:*", "system:serviceaccount:ns:app", true),
                Arguments.of("abc", "ABC", false));
    }
}
