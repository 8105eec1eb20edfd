package io.podidentity.cli;

import io.quarkus.runtime.annotations.RegisterForReflection;
import picocli.CommandLine.Command;

/** The executable seen as a toolkit; the server itself is started without a subcommand. */
@RegisterForReflection
@Command(name = "webhook", subcommands = {OidcCommand.class, MutateCommand.class},
        description = "Self-hosted IRSA toolkit. Without a subcommand the executable runs the webhook server.")
final class RootCommand implements Runnable {

    @Override
    public void run() {
        throw new UsageException("name a subcommand: oidc or mutate");
    }
}
