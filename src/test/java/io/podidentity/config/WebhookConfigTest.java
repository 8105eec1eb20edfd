package io.podidentity.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every setting resolves the same way from the command line, the property and the environment variable. */
class WebhookConfigTest {

    /** A value of each type that differs from every default. */
    private static String sample(Flag flag) {
        return switch (flag.type()) {
            case BOOL -> Boolean.toString(!Boolean.parseBoolean(flag.defaultValue()));
            case INT -> "4";
            case PORT -> flag == Flag.PORT ? "8443" : "9443";
            case DURATION, POSITIVE_DURATION -> "1m30s";
            case TLS_VERSION -> "1.3";
            case CIPHER_SUITES -> "TLS_AES_128_GCM_SHA256";
            case LOG_FORMAT -> "json";
            case STRING -> "/srv/" + flag.longName();
        };
    }

    @ParameterizedTest
    @EnumSource(Flag.class)
    void helpTheCommandLineThePropertyAndTheEnvironmentVariableAgree(Flag flag) {
        if (flag.effect() != Flag.Effect.PROPERTY) {
            return;
        }
        String value = sample(flag);
        String usageLine = UpstreamFlags.usage().lines()
                .filter(l -> l.matches(" +(-\\w, )?--" + flag.longName() + "( \\w+)? .*")).findFirst().orElseThrow();
        assertTrue(usageLine.contains(flag.help()), usageLine);
        String spelled = flag.longName().length() == 1 ? "-" + flag.longName() : "--" + flag.longName();

        WebhookConfig fromFlag = WebhookConfig.resolve(
                UpstreamFlags.parse(new String[] {spelled + "=" + value}).properties(), none());
        WebhookConfig fromProperty = WebhookConfig.resolve(Map.of(),
                f -> f.property().equals(flag.property()) ? Optional.of(value) : Optional.empty());
        // The variable is the property's name as SmallRye Config (and so Quarkus) maps it.
        assertEquals(flag.property().toUpperCase().replaceAll("[^A-Z0-9]", "_"), flag.environmentVariable());

        assertEquals(List.of(fromFlag.arguments()), List.of(fromProperty.arguments()), flag.longName());
        assertNotEquals(List.of(WebhookConfig.defaults().arguments()), List.of(fromFlag.arguments()),
                "the sample differs from the default");
        assertEquals(List.of(fromFlag.arguments()), List.of(WebhookConfig.resolve(
                UpstreamFlags.parse(fromFlag.arguments()).properties(), none()).arguments()),
                "the configuration as a command line reads back the same");
    }

    @Test
    void theCommandLineWinsOverThePropertyWhichWinsOverTheDefault() {
        WebhookConfig config = WebhookConfig.resolve(
                UpstreamFlags.parse(new String[] {"--port=8443"}).properties(),
                flag -> switch (flag) {
                    case PORT -> Optional.of("1");
                    case NAMESPACE -> Optional.of("kube-system");
                    default -> Optional.empty();
                });
        assertEquals(8443, config.port(Flag.PORT));
        assertEquals("kube-system", config.string(Flag.NAMESPACE));
        assertEquals(9999, config.port(Flag.METRICS_PORT));
    }

    @Test
    void aBadPropertyIsNamedWithItsVariable() {
        FlagException e = assertThrows(FlagException.class,
                () -> WebhookConfig.resolve(Map.of(), f -> f == Flag.RESYNC_PERIOD ? Optional.of("10") : Optional.empty()));
        assertTrue(e.getMessage().startsWith("webhook.resync-period (WEBHOOK_RESYNC_PERIOD): \"10\" is not a duration"),
                e.getMessage());
    }

    @Test
    void standaloneModeHasNoShutdownDelayUnlessOneIsSet() {
        assertEquals(Duration.ofSeconds(5), WebhookConfig.defaults().duration(Flag.SHUTDOWN_DELAY));
        assertEquals(Duration.ZERO, parse("--objects-file=/srv/objects.yaml").duration(Flag.SHUTDOWN_DELAY));
        assertEquals(Duration.ofSeconds(2),
                parse("--objects-file=/srv/objects.yaml --shutdown-delay=2s").duration(Flag.SHUTDOWN_DELAY));
    }

    @Test
    void thePortsMustDiffer() {
        FlagException e = assertThrows(FlagException.class, () -> parse("--port=9443 --metrics-port=9443"));
        assertEquals("--port and --metrics-port are both 9443; they must differ", e.getMessage());
    }

    @Test
    void readsTypedValues() {
        WebhookConfig config = parse("-v=4 --token-expiration=0x10 --kube-api= --aws-default-region=eu-west-1");
        assertEquals(4, config.integer(Flag.V));
        assertEquals(16, config.integer(Flag.TOKEN_EXPIRATION));
        assertEquals(Optional.empty(), config.optional(Flag.KUBE_API));
        assertEquals(Optional.of("eu-west-1"), config.optional(Flag.AWS_DEFAULT_REGION));
        assertEquals(Duration.ofSeconds(60), config.duration(Flag.RESYNC_PERIOD));
        assertThrows(IllegalArgumentException.class, () -> config.duration(Flag.PORT), "a port is not a duration");
    }

    @Test
    void withChecksTheNewValue() {
        WebhookConfig config = WebhookConfig.defaults().with(Flag.TLS_CERT, "/run/tls.crt");
        assertEquals("/run/tls.crt", config.string(Flag.TLS_CERT));
        assertThrows(FlagException.class, () -> config.with(Flag.PORT, "x"));
    }

    private static WebhookConfig parse(String args) {
        return WebhookConfig.resolve(UpstreamFlags.parse(args.split(" ")).properties(), none());
    }

    private static java.util.function.Function<Flag, Optional<String>> none() {
        return flag -> Optional.empty();
    }
}
