package io.podidentity.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders the flag table as {@code --help} text in pflag's layout: one line per flag with its
 * spelling, value type, help and non-empty default, grouped by {@link Flag.Group}.
 */
final class FlagUsage {

    private FlagUsage() {
    }

    static String render(List<Flag> flags) {
        int width = flags.stream().mapToInt(flag -> spelling(flag).length()).max().orElse(0);
        StringBuilder out = new StringBuilder()
                .append("Usage: webhook [flags]\n")
                .append("       webhook oidc discovery|thumbprint|check|verify [flags]   self-hosted IRSA toolkit\n")
                .append("       webhook mutate --pod FILE --service-account FILE [flags]  offline dry run\n")
                .append("(each subcommand has --help)\n\n")
                .append("Every flag is also settable as configuration property webhook.<flag>,\n")
                .append("for example environment variable WEBHOOK_PORT for --port.\n");
        for (Flag.Group group : Flag.Group.values()) {
            out.append('\n').append(group.title()).append(":\n");
            for (Flag flag : flags) {
                if (flag.group() == group) {
                    String spelling = spelling(flag);
                    out.append(spelling).append(" ".repeat(width - spelling.length() + 3))
                            .append(description(flag)).append('\n');
                }
            }
        }
        return out.toString();
    }

    // "  -h, --help", "      --port int", "      --log_dir string": shorthands line up as in pflag.
    private static String spelling(Flag flag) {
        List<String> shorthands = new ArrayList<>();
        if (flag.longName().length() == 1) {
            shorthands.add(flag.longName());
        }
        flag.aliases().stream().filter(alias -> alias.length() == 1).forEach(shorthands::add);
        String prefix = shorthands.isEmpty() ? "      " : "  -" + shorthands.get(0) + ", ";
        String type = flag.type() == Flag.Type.BOOL ? "" : " " + flag.type().goName();
        return prefix + "--" + flag.longName() + type;
    }

    private static String description(Flag flag) {
        StringBuilder text = new StringBuilder();
        boolean ignored = switch (flag.effect()) {
            case IGNORED, IGNORED_WITH_NOTICE, IGNORED_NOTICE_IF_FALSE -> true;
            default -> false;
        };
        text.append(ignored ? "Ignored: " + flag.help() : flag.help());
        flag.aliases().stream().filter(alias -> alias.length() > 1)
                .forEach(alias -> text.append(" (also --").append(alias).append(')'));
        String shown = shownDefault(flag);
        if (!shown.isEmpty()) {
            text.append(" (default ").append(shown).append(')');
        }
        return text.toString();
    }

    // Like pflag: zero values are not shown, strings are quoted, durations in Go's form.
    private static String shownDefault(Flag flag) {
        String value = flag.defaultValue();
        if (value.isEmpty() || value.equals("false") || (value.equals("0") && flag.type() != Flag.Type.STRING)) {
            return "";
        }
        return switch (flag.type()) {
            case DURATION, POSITIVE_DURATION -> GoDuration.format(GoDuration.parse(value));
            case BOOL, INT, PORT -> value;
            default -> "\"" + value + "\"";
        };
    }
}
