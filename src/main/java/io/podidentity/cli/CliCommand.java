package io.podidentity.cli;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A subcommand: {@link #validate()} checks the arguments without side effects (a problem is a
 * {@link UsageException}, exit 2), then {@link #run()} does the work and returns the exit code
 * (0 success, 1 a failed check). Any other exception becomes one {@code error:} line, exit 1.
 */
@RegisterForReflection
abstract class CliCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Override
    public final Integer call() throws Exception {
        try {
            validate();
        } catch (IllegalArgumentException e) {
            // Values checked by the domain (an http:// issuer, say) are usage errors here.
            throw new UsageException(e.getMessage());
        }
        return run();
    }

    abstract void validate();

    abstract int run() throws Exception;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
