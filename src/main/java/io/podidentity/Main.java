package io.podidentity;

import io.podidentity.cli.Cli;
import io.podidentity.config.FlagException;
import io.podidentity.config.ParsedFlags;
import io.podidentity.config.UpstreamFlags;
import io.podidentity.config.WebhookConfig;
import io.podidentity.server.IdentitySources;
import io.podidentity.server.QuarkusProperties;
import io.podidentity.server.StartupChecks;
import io.podidentity.server.Version;
import io.podidentity.tls.NettyBouncyCastleProbe;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.security.Security;

/**
 * The executable. Startup is one path: the command line is read ({@link UpstreamFlags}), resolved
 * with the environment into checked settings ({@link WebhookConfig}), checked against the machine
 * ({@link StartupChecks}) while the first ServiceAccount list is read ({@link IdentitySources});
 * then Quarkus starts with its own properties ({@link QuarkusProperties}) and with the settings as
 * its command line, from which {@code server.Components} wires the webhook.
 * Everything that can be wrong with the settings is reported here in one line (exit 2) before the
 * server starts. The toolkit subcommands ({@code oidc ...}, {@code mutate}) are dispatched first and
 * never start the server. This class sits above {@code server} and {@code cli}, so neither depends
 * on the other's entry point.
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
        // Every PKCS#12 key store this process builds lives in memory and is never written (Vert.x
        // puts the PEM key of the TLS registry's configuration into one, on the main thread and again
        // on an event loop). PKCS#12's default of 10,000 PBKDF2 rounds to encrypt the key, and as many
        // to decrypt it, protects nothing here and took a quarter of the native start's CPU
        // (bench/RESULTS.md).
        Security.setProperty("keystore.pkcs12.keyPbeIterationCount", "1");
        WebhookConfig config;
        try {
            ParsedFlags flags = UpstreamFlags.parse(args);
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
            flags.notices().forEach(notice -> System.err.println("notice: " + notice));
            WebhookConfig settings = WebhookConfig.resolve(flags.properties(), WebhookConfig::fromProcess);
            // The first ServiceAccount list starts now, on a thread of its own, while the settings are
            // checked and Quarkus boots: no pod is mutated before its ServiceAccount is cached
            // (IdentitySources takes the list over). A failed check ends the process before it matters.
            IdentitySources.prefetchServiceAccounts(settings);
            config = StartupChecks.check(settings);
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        QuarkusProperties.of(config).forEach(System::setProperty);
        // On the JVM, Netty would instantiate Bouncy Castle's provider on an event loop during the
        // first handshake (the TLS warm-up's), only to learn that the engine is not Bouncy Castle's.
        NettyBouncyCastleProbe.answerAbsent();
        // SIGTERM is the normal way a pod stops: drain (quarkus.shutdown.timeout) and exit 0, not 143.
        sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> Quarkus.asyncExit(0));
        Quarkus.run(config.arguments());
    }
}
