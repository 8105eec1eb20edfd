package io.podidentity.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads one command line the way pflag does, a little more leniently: long names after one or
 * two dashes, values after {@code =} or in the next argument, flags and positional arguments in
 * any order, and {@code --} to end the flags.
 */
final class FlagParser {

    private final Map<String, Flag> byName;
    private final Map<String, String> properties = new LinkedHashMap<>();
    private final Set<String> notices = new LinkedHashSet<>();
    private final List<String> positional = new ArrayList<>();
    private boolean help;
    private boolean version;

    FlagParser(Map<String, Flag> byName) {
        this.byName = byName;
    }

    ParsedFlags parse(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--")) {
                positional.addAll(List.of(args).subList(i + 1, args.length));
                break;
            }
            if (!arg.startsWith("-") || arg.equals("-")) {
                positional.add(arg);
                continue;
            }
            String dashes = arg.startsWith("--") ? "--" : "-";
            String body = arg.substring(dashes.length());
            if (body.isEmpty() || body.startsWith("-") || body.startsWith("=")) {
                throw new FlagException("bad flag syntax: " + arg);
            }
            int eq = body.indexOf('=');
            String spelled = dashes + (eq < 0 ? body : body.substring(0, eq));
            Flag flag = byName.get(spelled.substring(dashes.length()));
            if (flag == null) {
                throw new FlagException("unknown flag: " + spelled);
            }
            String value;
            if (eq >= 0) {
                value = body.substring(eq + 1);
            } else if (flag.type() == Flag.Type.BOOL) {
                // A bare boolean means true; a following literal such as "false" is its value.
                boolean next = i + 1 < args.length && GoStrconv.parseBool(args[i + 1]) != null;
                value = next ? args[++i] : "true";
            } else if (i + 1 < args.length && !looksLikeFlag(args[i + 1])) {
                value = args[++i];
            } else {
                throw new FlagException(spelled + " needs a value");
            }
            apply(flag, spelled, flag.type().checked(spelled, value));
        }
        return new ParsedFlags(properties, help, version, List.copyOf(notices), positional);
    }

    // Values may start with one dash ("-5s"), so only something naming a flag stops a value.
    private boolean looksLikeFlag(String arg) {
        if (arg.startsWith("--")) {
            return true;
        }
        if (!arg.startsWith("-") || arg.length() == 1) {
            return false;
        }
        String body = arg.substring(1);
        int eq = body.indexOf('=');
        return byName.containsKey(eq < 0 ? body : body.substring(0, eq));
    }

    private void apply(Flag flag, String spelled, String value) {
        switch (flag.effect()) {
            case PROPERTY -> properties.put(flag.property(), value);
            case HELP -> help = Boolean.parseBoolean(value);
            case VERSION -> version = Boolean.parseBoolean(value);
            case IGNORED -> {
            }
            case IGNORED_WITH_NOTICE -> notices.add(spelled + " is accepted for compatibility and ignored: " + flag.help());
            case IGNORED_NOTICE_IF_FALSE -> {
                if (value.equals("false")) {
                    notices.add(spelled + "=false is accepted for compatibility and ignored: " + flag.help());
                }
            }
        }
    }
}
