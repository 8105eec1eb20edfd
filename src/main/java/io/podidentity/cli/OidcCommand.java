package io.podidentity.cli;

import io.quarkus.runtime.annotations.RegisterForReflection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code oidc}: the identity-provider side of IRSA on a self-hosted cluster. */
@RegisterForReflection
@Command(name = "oidc",
        subcommands = {DiscoveryCommand.class, ThumbprintCommand.class, VerifyCommand.class, CheckCommand.class},
        description = "Publish and check the cluster's OpenID Connect issuer for AWS IAM.")
final class OidcCommand implements Runnable {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Override
    public void run() {
        throw new UsageException("name an oidc subcommand: discovery, thumbprint, verify or check (see oidc --help)");
    }
}
