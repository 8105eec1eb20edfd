package io.podidentity.cli;

import io.podidentity.oidc.Check;
import io.podidentity.oidc.Issuer;
import io.podidentity.oidc.PublicationComparison;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code oidc check}: does the issuer URL publish what the cluster signs with? */
@RegisterForReflection
@Command(name = "check", sortOptions = false,
        description = "Compare the cluster's issuer and signing keys with what the issuer URL publishes; "
                + "exit 0 only when they agree.")
final class CheckCommand extends CliCommand {

    @Option(names = "--issuer", required = true, paramLabel = "URL", description = "The published issuer (https://).")
    String issuer;

    @Option(names = "--kubeconfig", required = true, paramLabel = "PATH", description = "The cluster to compare.")
    Path kubeconfig;

    @Option(names = "--ca", paramLabel = "FILE",
            description = "Trust only the CA certificates in this PEM file when fetching from the issuer.")
    Path ca;

    @Override
    void validate() {
        Issuer.parse(issuer);
        if (!Files.isRegularFile(kubeconfig)) {
            throw new UsageException("--kubeconfig " + kubeconfig + ": file does not exist");
        }
    }

    @Override
    int run() {
        PublishedOidc cluster = PublishedOidc.ofCluster(kubeconfig);
        PublishedOidc published = PublishedOidc.atIssuer(issuer, Https.trusting(ca));
        List<Check> checks = PublicationComparison.compare(issuer, cluster.discovery(), cluster.jwks(),
                published.discovery(), published.jwks());
        checks.forEach(check -> out().println(check));
        boolean agree = checks.stream().allMatch(Check::passed);
        out().println(agree ? "agree: " + issuer + " publishes the cluster's issuer and keys"
                : "mismatch: fix the FAIL lines above (oidc discovery --kubeconfig, then upload)");
        return agree ? 0 : 1;
    }
}
