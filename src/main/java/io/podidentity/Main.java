package io.podidentity;

import io.podidentity.cli.Cli;
import io.podidentity.config.FlagException;
import io.podidentity.config.ParsedFlags;
import io.podidentity.config.UpstreamFlags;
import io.podidentity.server.StartupSettings;
import io.podidentity.server.Version;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * The executable: upstream's command line in, Quarkus configuration out, then the server runs.
 * It sits above {@code server} and {@code cli}, which it dispatches to, so neither depends on the
 * other's entry point.
 * Everything that can be wrong with the settings is found here and reported in one line (exit 2)
 * before the server starts. The toolkit subcommands ({@code oidc ...}, {@code mutate}) are
 * dispatched first and never start the server.
 */
@QuarkusMain
public final class Main {

    // Package-private, not private: @QuarkusMain makes this class a bean, and ArC warns about a
    // private bean constructor at every build.
    Main() {}

    public static void main(String... args) {
        // The toolkit subcommands run here, before Quarkus boots: fast, and they never open a port.
        if (Cli.handles(args)) {
            System.exit(Cli.run(System.out, System.err, args));
            return;
        }
        ParsedFlags flags;
        try {
            flags = UpstreamFlags.parse(args);
            if (flags.help()) {
                System.out.println(UpstreamFlags.usage());
                return;
            }
            if (flags.version()) {
                System.out.println(Version.current());
                return;
            }
            if (!flags.positional().isEmpty()) {
                throw new FlagException("unexpected argument \"" + flags.positional().get(0)
                        + "\" (flags start with --; see --help)");
            }
            flags.properties().forEach(System::setProperty);
            flags.notices().forEach(notice -> System.err.println("notice: " + notice));
            StartupSettings.apply();
        } catch (FlagException | IllegalArgumentException | IllegalStateException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        // SIGTERM is the normal way a pod stops: drain (quarkus.shutdown.timeout) and exit 0, not 143.
        sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> Quarkus.asyncExit(0));
        Quarkus.run(args);
    }
}
