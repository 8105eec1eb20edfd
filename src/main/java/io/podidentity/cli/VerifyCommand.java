package io.podidentity.cli;

import io.podidentity.oidc.Check;
import io.podidentity.oidc.Issuer;
import io.podidentity.oidc.Jwks;
import io.podidentity.oidc.Jwt;
import io.podidentity.oidc.PolicyEvaluation;
import io.podidentity.oidc.StatementEvaluation;
import io.podidentity.oidc.TokenVerifier;
import io.podidentity.oidc.TrustPolicy;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code oidc verify}: would STS accept this token for this role? */
@RegisterForReflection
@Command(name = "verify", sortOptions = false,
        description = "Check a service-account token as STS would (signature, iss, aud, exp, nbf), then the role's "
                + "trust policy. Exit 0 only when the token would be accepted.")
final class VerifyCommand extends CliCommand {

    @Option(names = "--token", required = true, paramLabel = "FILE", description = "The JWT (kubectl create token ...).")
    Path token;

    @Option(names = "--issuer", required = true, paramLabel = "URL", description = "The issuer STS knows (https://).")
    String issuer;

    @Option(names = "--jwks", paramLabel = "FILE",
            description = "The JWKS to verify with; by default fetched via <issuer>/.well-known/openid-configuration.")
    Path jwks;

    @Option(names = "--audience", paramLabel = "A", defaultValue = "sts.amazonaws.com",
            description = "The audience the token must have (default: ${DEFAULT-VALUE}).")
    String audience;

    @Option(names = "--trust-policy", paramLabel = "FILE",
            description = "The role's trust policy (JSON, as in aws iam get-role or Terraform's assume_role_policy).")
    Path trustPolicy;

    @Option(names = "--ca", paramLabel = "FILE",
            description = "Trust only the CA certificates in this PEM file when fetching from the issuer.")
    Path ca;

    private Issuer parsedIssuer;

    @Override
    void validate() {
        parsedIssuer = Issuer.parse(issuer);
        for (Path file : new Path[] {token, jwks, trustPolicy}) {
            if (file != null && !Files.isRegularFile(file)) {
                throw new UsageException(file + ": file does not exist");
            }
        }
    }

    @Override
    int run() throws Exception {
        Jwt jwt = Jwt.parse(Files.readString(token));
        Jwks keys;
        String source;
        if (jwks != null) {
            keys = Jwks.parse(Files.readString(jwks), jwks.toString());
            source = jwks.toString();
        } else {
            PublishedOidc published = PublishedOidc.atIssuer(issuer, Https.trusting(ca));
            keys = published.jwks();
            source = published.jwksSource();
        }
        out().println("token: sub \"" + jwt.claims().path("sub").asText("") + "\", keys from " + source);
        List<Check> checks = new TokenVerifier(keys, issuer, audience).verify(jwt, Instant.now());
        checks.forEach(check -> out().println(check));
        boolean accepted = checks.stream().allMatch(Check::passed);
        if (trustPolicy != null) {
            PolicyEvaluation evaluation = TrustPolicy.parse(Files.readString(trustPolicy), trustPolicy.toString())
                    .evaluate(parsedIssuer, jwt);
            for (StatementEvaluation statement : evaluation.statements()) {
                out().println("trust policy statement " + statement.index() + ": "
                        + (statement.allows() ? "allows" : "does not allow"));
                statement.checks().forEach(check -> out().println("  " + check));
            }
            accepted &= evaluation.allows();
        }
        out().println(accepted ? "accepted: STS would accept this token" + (trustPolicy == null ? " (trust policy not checked)" : "")
                : "refused: see the FAIL and UNSUPPORTED lines above");
        return accepted ? 0 : 1;
    }
}
