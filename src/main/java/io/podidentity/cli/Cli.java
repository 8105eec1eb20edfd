package io.podidentity.cli;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import picocli.CommandLine;

/**
 * Runs a toolkit subcommand in this JVM. Every failure is one {@code error: ...} line on stderr:
 * exit 2 for usage (unknown option, missing file, conflicting arguments), 1 for a failed check or
 * an operation that could not be done (network, bad PEM, bad JSON), never a stack trace.
 */
public final class Cli {

    private static final Set<String> SUBCOMMANDS = Set.of("oidc", "mutate");

    private Cli() {
    }

    /** Whether the command line asks for a toolkit subcommand rather than the server. */
    public static boolean handles(String... args) {
        return args.length > 0 && SUBCOMMANDS.contains(args[0]);
    }

    /** Runs the subcommand named by {@code args[0]} and returns its exit code. */
    public static int run(PrintStream out, PrintStream err, String... args) {
        PrintWriter errWriter = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
        CommandLine commandLine = new CommandLine(new RootCommand())
                .setOut(new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true))
                .setErr(errWriter)
                .setParameterExceptionHandler((e, arguments) -> {
                    errWriter.println("error: " + e.getMessage() + " (see " + e.getCommandLine().getCommandName()
                            + " --help)");
                    return 2;
                })
                .setExecutionExceptionHandler((e, command, parsed) -> {
                    errWriter.println("error: " + message(e));
                    return e instanceof UsageException ? 2 : 1;
                });
        int code = commandLine.execute(args);
        commandLine.getOut().flush();
        errWriter.flush();
        return code;
    }

    private static String message(Throwable e) {
        Throwable cause = e;
        while (cause.getMessage() == null && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return message.replaceAll("\\s+", " ").trim();
    }
}
