package io.podidentity.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a command line said, as configuration.
 *
 * @param properties configuration properties set by the flags that were given, in the order the
 *        flags first appeared; flags that were not given are absent, so that other configuration
 *        sources (such as {@code WEBHOOK_PORT}) still apply to them
 * @param help whether {@code --help} or {@code -h} was given
 * @param version whether {@code --version} was given
 * @param notices one human-readable line per flag that was accepted but has no effect
 * @param positional the arguments that are not flags, in order
 */
public record ParsedFlags(Map<String, String> properties, boolean help, boolean version, List<String> notices,
        List<String> positional) {

    public ParsedFlags {
        // Map.copyOf would lose the order, which keeps logs and tests readable.
        properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
        notices = List.copyOf(notices);
        positional = List.copyOf(positional);
    }
}
