package io.podidentity.config;

import java.util.List;
import java.util.Objects;

/**
 * One flag of the command line: how it is spelled, what its value looks like, what it does and
 * how {@code --help} describes it.
 *
 * @param name the canonical name, written after {@code --} (or {@code -})
 * @param aliases other accepted names, such as {@code h} for {@code help} or {@code log-dir}
 *        for klog's {@code log_dir}
 * @param type the syntax of the value, which is checked while parsing
 * @param defaultValue the value used when the flag is not given, in the flag's own syntax
 * @param group the section of {@code --help} the flag is listed in
 * @param effect what giving the flag does
 * @param property the configuration property the value goes to; set exactly when
 *        {@code effect} is {@link Effect#PROPERTY}
 * @param help one line for {@code --help}; for ignored flags, the reason they are ignored
 */
public record Flag(String name, List<String> aliases, Type type, String defaultValue, Group group, Effect effect,
        String property, String help) {

    public Flag {
        Objects.requireNonNull(name, "name");
        aliases = List.copyOf(aliases);
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(defaultValue, "defaultValue");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(effect, "effect");
        Objects.requireNonNull(help, "help");
        if ((effect == Effect.PROPERTY) != (property != null)) {
            throw new IllegalArgumentException("--" + name + ": a property is required exactly for Effect.PROPERTY");
        }
    }

    /** The syntax of a flag's value. */
    public enum Type {
        /** Go {@code strconv.ParseBool}; stored as {@code true} or {@code false}. */
        BOOL("bool"),
        /** A Go int (64 bits); stored in decimal. */
        INT("int"),
        /** Any text. */
        STRING("string"),
        /** A Go duration such as {@code 1m30s}, see {@link GoDuration}. */
        DURATION("duration"),
        /** A value accepted by {@link TlsPolicy#from} as minimum version. */
        TLS_VERSION("string"),
        /** Comma-separated Go cipher suite names accepted by {@link TlsPolicy#from}. */
        CIPHER_SUITES("string"),
        /** {@code text} or {@code json}. */
        LOG_FORMAT("string");

        private final String goName;

        Type(String goName) {
            this.goName = goName;
        }

        /** The type name pflag would print in {@code --help}. */
        public String goName() {
            return goName;
        }
    }

    /** What giving a flag does. */
    public enum Effect {
        /** The value is stored under {@link Flag#property()}. */
        PROPERTY,
        /** Asks for the usage text. */
        HELP,
        /** Asks for the version. */
        VERSION,
        /** Accepted so existing manifests keep working; has no effect and says nothing. */
        IGNORED,
        /** Accepted and ignored, with a notice giving {@link Flag#help()} as the reason. */
        IGNORED_WITH_NOTICE,
        /** Accepted and ignored; a notice is given when it is set to false. */
        IGNORED_NOTICE_IF_FALSE
    }

    /** The sections of {@code --help}, in the order they are printed. */
    public enum Group {
        WEBHOOK("Webhook"),
        TLS("TLS"),
        CLUSTER("Cluster"),
        CONTAINER_CREDENTIALS("Container credentials (EKS Pod Identity)"),
        PROJECT("This project"),
        KLOG("klog compatibility");

        private final String title;

        Group(String title) {
            this.title = title;
        }

        public String title() {
            return title;
        }
    }
}
