package io.podidentity.oidc;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether what an issuer URL publishes matches what the cluster signs with: the issuer in both
 * discovery documents, and every cluster key published under the same kid with the same
 * modulus. Keys published but no longer used by the cluster are harmless (a rotation keeps the old
 * key published until its tokens expire) and are only noted.
 */
public final class PublicationComparison {

    private PublicationComparison() {
    }

    /**
     * @param issuer the issuer the tokens must carry ({@code --service-account-issuer})
     * @return one check per comparison; they all pass when the publication is right
     */
    public static List<Check> compare(String issuer, Discovery cluster, Jwks clusterKeys, Discovery published,
            Jwks publishedKeys) {
        List<Check> checks = new ArrayList<>();
        checks.add(sameIssuer("cluster issuer", cluster.issuer(), issuer,
                "kube-apiserver --service-account-issuer must be exactly the published issuer"));
        checks.add(sameIssuer("published issuer", published.issuer(), issuer,
                "the discovery document at the issuer URL must name the issuer itself"));
        for (Jwk key : clusterKeys.keys()) {
            Optional<Jwk> match = publishedKeys.find(key.kid());
            String name = "key " + key.kid();
            if (match.isEmpty()) {
                checks.add(Check.fail(name, "the cluster signs with it but " + published.jwksUri()
                        + " does not publish it; re-run oidc discovery and upload"));
            } else if (!match.get().equals(key)) {
                checks.add(Check.fail(name, "published with a different modulus or exponent than the cluster's key"));
            } else {
                checks.add(Check.pass(name, "published at " + published.jwksUri()));
            }
        }
        for (Jwk key : publishedKeys.keys()) {
            if (clusterKeys.find(key.kid()).isEmpty()) {
                checks.add(Check.pass("key " + key.kid(), "published but not used by the cluster (fine during a rotation)"));
            }
        }
        return checks;
    }

    private static Check sameIssuer(String name, String actual, String expected, String why) {
        return actual.equals(expected)
                ? Check.pass(name, "\"" + actual + "\"")
                : Check.fail(name, "\"" + actual + "\" is not \"" + expected + "\"; " + why);
    }
}
