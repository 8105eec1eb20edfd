package io.podidentity.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line of the Go webhook ({@code /webhook --port=8443 -v=2 ...}), read against the
 * {@link Flag} table, so that existing manifests and the Helm chart start this webhook unchanged.
 */
public final class UpstreamFlags {

    private static final Map<String, Flag> BY_NAME = index();

    private UpstreamFlags() {
    }

    /**
     * Reads a command line.
     *
     * @throws FlagException naming the first flag that is unknown, lacks a value or has a value
     *         of the wrong kind
     */
    public static ParsedFlags parse(String[] args) {
        return new FlagParser(BY_NAME).parse(args);
    }

    /** Every accepted flag, in {@code --help} order. */
    public static List<Flag> flags() {
        return List.of(Flag.values());
    }

    /** The {@code --help} text. */
    public static String usage() {
        return FlagUsage.render(flags());
    }

    private static Map<String, Flag> index() {
        Map<String, Flag> byName = new LinkedHashMap<>();
        for (Flag flag : Flag.values()) {
            register(byName, flag.longName(), flag);
            flag.aliases().forEach(alias -> register(byName, alias, flag));
        }
        return Map.copyOf(byName);
    }

    private static void register(Map<String, Flag> byName, String name, Flag flag) {
        if (byName.put(name, flag) != null) {
            throw new IllegalStateException("flag name --" + name + " is defined twice");
        }
    }
}
