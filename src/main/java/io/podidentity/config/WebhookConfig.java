package io.podidentity.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The value of every setting of the {@link Flag} table, resolved in one order: the command line,
 * then the property {@code webhook.<flag>} (a system property, the environment variable
 * {@code WEBHOOK_<FLAG>}, or any other configuration source), then the declared default. Every
 * value has been checked against its type, and the rules between settings hold; an instance is
 * immutable, and {@link #arguments()} says all it holds.
 */
public final class WebhookConfig {

    private final Map<Flag, String> values;

    private WebhookConfig(Map<Flag, String> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    /**
     * @param commandLine the flags given, by property ({@link ParsedFlags#properties()}), already checked
     * @param properties the property of a setting from the other sources, if set there
     * @throws FlagException one line naming the setting and what is wrong with it
     */
    public static WebhookConfig resolve(Map<String, String> commandLine, Function<Flag, Optional<String>> properties) {
        Map<Flag, String> values = new EnumMap<>(Flag.class);
        for (Flag flag : Flag.values()) {
            if (flag.effect() != Flag.Effect.PROPERTY) {
                continue;
            }
            String given = commandLine.get(flag.property());
            if (given == null) {
                given = properties.apply(flag)
                        .map(value -> flag.type().checked(flag.property() + " (" + flag.environmentVariable() + ")", value))
                        .orElse(null);
            }
            if (given != null) {
                values.put(flag, given);
            }
        }
        if (!values.containsKey(Flag.SHUTDOWN_DELAY) && values.containsKey(Flag.OBJECTS_FILE)
                && !values.get(Flag.OBJECTS_FILE).isEmpty()) {
            // Standalone mode has no Service to leave, so no delay unless asked for.
            values.put(Flag.SHUTDOWN_DELAY, "0");
        }
        for (Flag flag : Flag.values()) {
            if (flag.effect() == Flag.Effect.PROPERTY) {
                values.putIfAbsent(flag, flag.defaultValue());
            }
        }
        if (values.get(Flag.PORT).equals(values.get(Flag.METRICS_PORT))) {
            throw new FlagException("--port and --metrics-port are both " + values.get(Flag.PORT) + "; they must differ");
        }
        return new WebhookConfig(values);
    }

    /** Every setting at its default. */
    public static WebhookConfig defaults() {
        return resolve(Map.of(), flag -> Optional.empty());
    }

    /** A setting from the process: the system property {@code webhook.<flag>}, else {@code WEBHOOK_<FLAG>}. */
    public static Optional<String> fromProcess(Flag flag) {
        String value = System.getProperty(flag.property());
        return Optional.ofNullable(value != null ? value : System.getenv(flag.environmentVariable()));
    }

    /** This configuration with {@code flag} set to {@code value}. */
    public WebhookConfig with(Flag flag, String value) {
        Map<Flag, String> changed = new EnumMap<>(values);
        changed.put(flag, flag.type().checked("--" + flag.longName(), value));
        return new WebhookConfig(changed);
    }

    /** The whole configuration as a command line that {@link #resolve} reads back to an equal one. */
    public String[] arguments() {
        List<String> arguments = new ArrayList<>();
        values.forEach((flag, value) -> arguments.add("--" + flag.longName() + "=" + value));
        return arguments.toArray(String[]::new);
    }

    public String string(Flag flag) {
        return value(flag, Flag.Type.STRING, Flag.Type.TLS_VERSION, Flag.Type.CIPHER_SUITES, Flag.Type.LOG_FORMAT);
    }

    /** A text setting, empty when it is the empty string. */
    public Optional<String> optional(Flag flag) {
        String value = string(flag);
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    public boolean bool(Flag flag) {
        return Boolean.parseBoolean(value(flag, Flag.Type.BOOL));
    }

    public long integer(Flag flag) {
        return Long.parseLong(value(flag, Flag.Type.INT, Flag.Type.PORT));
    }

    public int port(Flag flag) {
        return Integer.parseInt(value(flag, Flag.Type.PORT));
    }

    public Duration duration(Flag flag) {
        return GoDuration.parse(value(flag, Flag.Type.DURATION, Flag.Type.POSITIVE_DURATION));
    }

    /** Standalone mode: identities come from {@link Flag#OBJECTS_FILE}, never from a cluster. */
    public boolean standalone() {
        return optional(Flag.OBJECTS_FILE).isPresent();
    }

    /** The TLS versions and cipher suites, in the runtime's names. */
    public TlsPolicy tlsPolicy() {
        return TlsPolicy.from(string(Flag.TLS_MIN_VERSION), string(Flag.TLS_CIPHER_SUITES));
    }

    private String value(Flag flag, Flag.Type... types) {
        String value = values.get(flag);
        if (value == null || !List.of(types).contains(flag.type())) {
            throw new IllegalArgumentException(flag + " is a " + flag.type() + " flag, not one of " + List.of(types));
        }
        return value;
    }
}
