package io.podidentity.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class UpstreamFlagsTest {

    /** The arguments the upstream Helm chart passes, verbatim. */
    private static final String HELM_CHART_ARGS = "--annotation-prefix=eks.amazonaws.com --aws-default-region=us-east-1 "
            + "--in-cluster=false --logtostderr --namespace=default --metrics-port=9999 --port=8443 "
            + "--service-name=pod-identity-webhook --sts-regional-endpoint=true --token-audience=sts.amazonaws.com "
            + "--token-expiration=86400 --token-mount-path=/var/run/secrets/eks.amazonaws.com/serviceaccount "
            + "--tls-cert=/etc/webhook/certs/tls.crt --tls-key=/etc/webhook/certs/tls.key -v=2";

    @Test
    void translatesTheHelmChartArgumentsToProperties() {
        ParsedFlags parsed = parse(HELM_CHART_ARGS);

        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("webhook.annotation-prefix", "eks.amazonaws.com");
        expected.put("webhook.aws-default-region", "us-east-1");
        expected.put("webhook.in-cluster", "false");
        expected.put("webhook.namespace", "default");
        expected.put("webhook.metrics-port", "9999");
        expected.put("webhook.port", "8443");
        expected.put("webhook.service-name", "pod-identity-webhook");
        expected.put("webhook.sts-regional-endpoint", "true");
        expected.put("webhook.token-audience", "sts.amazonaws.com");
        expected.put("webhook.token-expiration", "86400");
        expected.put("webhook.token-mount-path", "/var/run/secrets/eks.amazonaws.com/serviceaccount");
        expected.put("webhook.tls-cert", "/etc/webhook/certs/tls.crt");
        expected.put("webhook.tls-key", "/etc/webhook/certs/tls.key");
        expected.put("webhook.log-verbosity", "2");
        assertEquals(List.copyOf(expected.entrySet()), List.copyOf(parsed.properties().entrySet()),
                "same properties in the order the flags were given");
        assertEquals(List.of(), parsed.notices(), "a bare --logtostderr changes nothing worth telling");
        assertEquals(List.of(), parsed.positional());
        assertFalse(parsed.help());
        assertFalse(parsed.version());
    }

    static Stream<Arguments> syntaxForms() {
        return Stream.of(
                Arguments.of("two dashes and an equals sign", "--port=8443", "webhook.port", "8443"),
                Arguments.of("two dashes and the value in the next argument", "--port 8443", "webhook.port", "8443"),
                Arguments.of("one dash and an equals sign, as Go's flag package allows", "-port=8443", "webhook.port",
                        "8443"),
                Arguments.of("one dash and the value in the next argument", "-port 8443", "webhook.port", "8443"),
                Arguments.of("klog verbosity with one dash", "-v=2", "webhook.log-verbosity", "2"),
                Arguments.of("klog verbosity with a separate value", "-v 2", "webhook.log-verbosity", "2"),
                Arguments.of("klog verbosity with two dashes", "--v=2", "webhook.log-verbosity", "2"),
                Arguments.of("an empty value after the equals sign", "--kubeconfig=", "webhook.kubeconfig", ""),
                Arguments.of("a value containing an equals sign", "--kube-api=https://h/?a=b", "webhook.kube-api",
                        "https://h/?a=b"),
                Arguments.of("a value starting with one dash", "--token-audience -aud", "webhook.token-audience", "-aud"),
                Arguments.of("the last of a repeated flag", "--port=1 --port=2", "webhook.port", "2"),
                Arguments.of("a Go hex integer, stored in decimal", "--port=0x1BB", "webhook.port", "443"),
                Arguments.of("a leading zero meaning octal, as in Go", "--metrics-port=010", "webhook.metrics-port",
                        "8"),
                Arguments.of("a Go integer with a plus sign, stored in decimal", "--port=+443", "webhook.port", "443"),
                Arguments.of("a Go integer with digit separators", "--token-expiration=86_400",
                        "webhook.token-expiration", "86400"),
                Arguments.of("a Go duration, stored as written", "--resync-period=1m30s", "webhook.resync-period",
                        "1m30s"),
                Arguments.of("a Go cipher suite list, stored as written", "--tls-cipher-suites=TLS_AES_128_GCM_SHA256",
                        "webhook.tls-cipher-suites", "TLS_AES_128_GCM_SHA256"),
                Arguments.of("a Go TLS version constant", "--tls-min-version=VersionTLS13", "webhook.tls-min-version",
                        "VersionTLS13"),
                Arguments.of("json log lines", "--log-format=json", "webhook.log-format", "json"),
                Arguments.of("a flag of this project", "--objects-file /srv/objects.yaml", "webhook.objects-file",
                        "/srv/objects.yaml"));
    }

    @ParameterizedTest(name = "accepts {0}: {1}")
    @MethodSource("syntaxForms")
    void acceptsTheSyntaxFormsOfPflagAndGoFlag(String rule, String args, String property, String value) {
        assertEquals(Map.of(property, value), parse(args).properties());
    }

    static Stream<Arguments> booleans() {
        return Stream.of(
                Arguments.of("a bare boolean means true", "--watch-config-map", "true", List.of()),
                Arguments.of("a bare boolean with one dash means true", "-watch-config-map", "true", List.of()),
                Arguments.of("=false turns it off", "--watch-config-map=false", "false", List.of()),
                Arguments.of("a separate false is its value", "--watch-config-map false", "false", List.of()),
                Arguments.of("a separate true is its value", "--watch-config-map true", "true", List.of()),
                Arguments.of("a separate Go literal is its value", "--watch-config-map F", "false", List.of()),
                Arguments.of("a separate word that is not a boolean stays positional", "--watch-config-map serve",
                        "true", List.of("serve")),
                Arguments.of("a separate yes is not a Go boolean and stays positional", "--watch-config-map yes",
                        "true", List.of("yes")),
                Arguments.of("a following flag is not its value", "--watch-config-map --port=1", "true", List.of()));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("booleans")
    void readsBooleansBareOrWithAValue(String rule, String args, String value, List<String> positional) {
        ParsedFlags parsed = parse(args);
        assertEquals(value, parsed.properties().get("webhook.watch-config-map"));
        assertEquals(positional, parsed.positional());
    }

    @ParameterizedTest(name = "--in-cluster={0} is true")
    @ValueSource(strings = { "1", "t", "T", "TRUE", "true", "True" })
    void acceptsEveryGoSpellingOfTrue(String literal) {
        assertEquals("true", parse("--in-cluster=" + literal).properties().get("webhook.in-cluster"));
    }

    @ParameterizedTest(name = "--in-cluster={0} is false")
    @ValueSource(strings = { "0", "f", "F", "FALSE", "false", "False" })
    void acceptsEveryGoSpellingOfFalse(String literal) {
        assertEquals("false", parse("--in-cluster=" + literal).properties().get("webhook.in-cluster"));
    }

    @Test
    void endsFlagParsingAtTheDoubleDash() {
        ParsedFlags parsed = UpstreamFlags.parse(new String[] { "--port=1", "--", "--port=2", "-v", "serve" });
        assertEquals(Map.of("webhook.port", "1"), parsed.properties());
        assertEquals(List.of("--port=2", "-v", "serve"), parsed.positional());
    }

    @Test
    void keepsPositionalWordsInOrderBetweenFlags() {
        ParsedFlags parsed = parse("serve --port=8443 now - -v=1 later");
        assertEquals(List.of("serve", "now", "-", "later"), parsed.positional());
        assertEquals(Map.of("webhook.port", "8443", "webhook.log-verbosity", "1"), parsed.properties());
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of("an unknown flag is named", "--portt", "unknown flag: --portt"),
                Arguments.of("an unknown one-dash flag is named as written", "-portt=1", "unknown flag: -portt"),
                Arguments.of("a flag at the end without its value", "--kubeconfig", "--kubeconfig needs a value"),
                Arguments.of("a flag followed by another flag", "--kubeconfig --port=1", "--kubeconfig needs a value"),
                Arguments.of("a flag followed by a known one-dash flag", "--aws-default-region -v=2",
                        "--aws-default-region needs a value"),
                Arguments.of("a flag followed by the double dash", "--kubeconfig --", "--kubeconfig needs a value"),
                Arguments.of("a port that is not an integer", "--port=abc", "--port: \"abc\" is not an integer"),
                Arguments.of("a separate port that is not an integer", "--port abc", "--port: \"abc\" is not an integer"),
                Arguments.of("a fractional integer", "--token-expiration=1.5",
                        "--token-expiration: \"1.5\" is not an integer"),
                Arguments.of("an empty integer", "--metrics-port=", "--metrics-port: \"\" is not an integer"),
                Arguments.of("an integer beyond Go's int64", "--token-expiration=9223372036854775808",
                        "--token-expiration: \"9223372036854775808\" is not an integer"),
                Arguments.of("a verbosity that is not an integer", "-v=high", "-v: \"high\" is not an integer"),
                Arguments.of("an ignored klog integer is still checked", "--log_file_max_size=big",
                        "--log_file_max_size: \"big\" is not an integer"),
                Arguments.of("a boolean that Go would not parse", "--in-cluster=yes",
                        "--in-cluster: \"yes\" is not a boolean; expected true or false"),
                Arguments.of("a duration without a unit", "--resync-period=10",
                        "--resync-period: \"10\" is not a duration: expected a number with a unit such as 500ms, "
                                + "10s, 1m30s"),
                Arguments.of("a duration in days", "--service-account-lookup-grace-period=1d",
                        "--service-account-lookup-grace-period: \"1d\" is not a duration: unknown unit \"d\", "
                                + "expected one of ns, us, \u00b5s, ms, s, m, h"),
                Arguments.of("a negative duration", "--resync-period=-5s",
                        "--resync-period: \"-5s\" must be zero or more"),
                Arguments.of("a reload period of zero", "--tls-reload-period=0s",
                        "--tls-reload-period: \"0s\" must be more than zero"),
                Arguments.of("a port beyond 65535", "--port=65536", "--port: \"65536\" is not a port number (1-65535)"),
                Arguments.of("a port of zero", "--metrics-port=0", "--metrics-port: \"0\" is not a port number (1-65535)"),
                Arguments.of("a cipher suite Go does not know", "--tls-cipher-suites=TLS_AES_128_GCM_SHA256,TLS_FAKE",
                        "--tls-cipher-suites: unknown cipher suite \"TLS_FAKE\""),
                Arguments.of("a cipher suite this JVM cannot enable", "--tls-cipher-suites=TLS_RSA_WITH_RC4_128_SHA",
                        "--tls-cipher-suites: cipher suite \"TLS_RSA_WITH_RC4_128_SHA\" is not supported by this runtime"),
                Arguments.of("a TLS version that does not exist", "--tls-min-version=1.4",
                        "--tls-min-version: unsupported value \"1.4\"; expected one of 1.0, 1.1, 1.2, 1.3, "
                                + "VersionTLS10, VersionTLS11, VersionTLS12, VersionTLS13"),
                Arguments.of("a log format other than text or json", "--log-format=xml",
                        "--log-format: \"xml\" is not a log format; expected text or json"),
                Arguments.of("three dashes", "---port=1", "bad flag syntax: ---port=1"),
                Arguments.of("a dash and an equals sign without a name", "--=1", "bad flag syntax: --=1"));
    }

    @ParameterizedTest(name = "rejects {0}: {1}")
    @MethodSource("errors")
    void rejectsBadCommandLinesWithOneLineNamingTheFlag(String rule, String args, String message) {
        FlagException e = assertThrows(FlagException.class, () -> parse(args));
        assertEquals(message, e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    static Stream<Arguments> klogFlags() {
        return Stream.of(
                Arguments.of("klog's underscore name", "--log_dir=/var/log",
                        List.of("--log_dir is accepted for compatibility and ignored: logs go to stderr")),
                Arguments.of("the dash variant of a klog name", "--log-dir=/var/log",
                        List.of("--log-dir is accepted for compatibility and ignored: logs go to stderr")),
                Arguments.of("a klog file size", "--log_file_max_size=100",
                        List.of("--log_file_max_size is accepted for compatibility and ignored: logs go to stderr")),
                Arguments.of("a klog threshold with a separate value", "-stderrthreshold INFO",
                        List.of("-stderrthreshold is accepted for compatibility and ignored: logs go to stderr")),
                Arguments.of("per-file verbosity", "--vmodule=handler=4", List.of(
                        "--vmodule is accepted for compatibility and ignored: per-file verbosity is not supported, "
                                + "use -v")),
                Arguments.of("logging to files instead of stderr", "--logtostderr=false", List.of(
                        "--logtostderr=false is accepted for compatibility and ignored: logs always go to stderr")),
                Arguments.of("logging to files, with a separate value", "--logtostderr false", List.of(
                        "--logtostderr=false is accepted for compatibility and ignored: logs always go to stderr")),
                Arguments.of("logging to stderr, which is what happens anyway", "--logtostderr=true", List.of()),
                Arguments.of("klog header switches with underscores", "--add_dir_header --skip_headers=true "
                        + "--skip_log_headers --one_output --alsologtostderr", List.of()),
                Arguments.of("klog header switches with dashes", "--add-dir-header --skip-headers "
                        + "--skip-log-headers=false --one-output", List.of()),
                Arguments.of("the same ignored flag twice", "--log_dir=/a --log_dir=/b",
                        List.of("--log_dir is accepted for compatibility and ignored: logs go to stderr")));
    }

    @ParameterizedTest(name = "accepts {0} without a property: {1}")
    @MethodSource("klogFlags")
    void acceptsKlogFlagsAndSaysWhichOnesAreIgnored(String rule, String args, List<String> notices) {
        ParsedFlags parsed = parse(args);
        assertEquals(Map.of(), parsed.properties());
        assertEquals(notices, parsed.notices());
        assertEquals(List.of(), parsed.positional());
    }

    static Stream<Arguments> helpAndVersion() {
        return Stream.of(
                Arguments.of("--help asks for help", "--help", true, false),
                Arguments.of("-h asks for help", "-h", true, false),
                Arguments.of("-help asks for help, as in Go's flag package", "-help", true, false),
                Arguments.of("--help=false does not", "--help=false", false, false),
                Arguments.of("--version asks for the version", "--version", false, true),
                Arguments.of("both can be asked at once", "--port=1 --version -h", true, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("helpAndVersion")
    void recognisesHelpAndVersionWithoutSettingProperties(String rule, String args, boolean help, boolean version) {
        ParsedFlags parsed = parse(args);
        assertEquals(help, parsed.help());
        assertEquals(version, parsed.version());
        assertFalse(parsed.properties().keySet().stream().anyMatch(p -> p.contains("help") || p.contains("version")));
    }

    @Test
    void setsNoPropertyForFlagsThatWereNotGiven() {
        // Defaults belong to the configuration; a property here would hide WEBHOOK_PORT and friends.
        assertEquals(Map.of(), UpstreamFlags.parse(new String[0]).properties());
    }

    @Test
    void mapsEveryUpstreamFlagToItsWebhookProperty() {
        List<String> upstream = List.of("port", "metrics-port", "kubeconfig", "kube-api", "tls-key", "tls-cert",
                "tls-cipher-suites", "tls-min-version", "in-cluster", "service-name", "namespace", "tls-secret",
                "annotation-prefix", "token-audience", "token-mount-path", "token-expiration", "aws-default-region",
                "sts-regional-endpoint", "watch-config-map", "compose-role-arn", "watch-container-credentials-config",
                "container-credentials-audience", "container-credentials-token-mount-path",
                "container-credentials-token-volume-name", "container-credentials-token-path",
                "container-credentials-full-uri", "enable-debugging-handlers", "service-account-lookup-grace-period",
                "resync-period", "objects-file", "aws-account-id", "aws-partition", "log-format", "tls-reload-period",
                "self-signed-cert-dir");
        for (String name : upstream) {
            assertEquals("webhook." + name, flag(name).property(), name);
        }
    }

    @Test
    void givesEveryPropertyFlagAPropertyUnderWebhook() {
        for (Flag flag : UpstreamFlags.flags()) {
            if (flag.effect() == Flag.Effect.PROPERTY) {
                assertTrue(flag.property().startsWith(Flag.PROPERTY_PREFIX), flag.longName());
            }
        }
    }

    @Test
    void hasDefaultsThatAreValidValuesOfTheirFlags() {
        for (Flag flag : UpstreamFlags.flags()) {
            assertEquals(flag.defaultValue(), flag.type().checked("--" + flag.longName(), flag.defaultValue()),
                    flag.longName());
        }
    }

    @Test
    void startsTheUsageWithTheSynopsisAndThePropertyRule() {
        String[] lines = UpstreamFlags.usage().split("\n");
        assertEquals("Usage: webhook [flags]", lines[0]);
        assertTrue(UpstreamFlags.usage().contains("webhook.<flag>"));
        assertTrue(UpstreamFlags.usage().contains("WEBHOOK_PORT"));
    }

    @Test
    void listsEveryFlagInTheUsageOnceUnderItsGroup() {
        String usage = UpstreamFlags.usage();
        List<Integer> groupPositions = new ArrayList<>();
        for (Flag.Group group : Flag.Group.values()) {
            groupPositions.add(usage.indexOf("\n" + group.title() + ":\n"));
        }
        assertEquals(groupPositions.stream().sorted().toList(), groupPositions, "groups in order");
        assertFalse(groupPositions.contains(-1), "every group has a heading");
        for (Flag flag : UpstreamFlags.flags()) {
            List<String> lines = usage.lines()
                    .filter(l -> l.matches(" +(-\\w, )?--" + flag.longName() + "( \\w+)? .*")).toList();
            assertEquals(1, lines.size(), "usage lines for --" + flag.longName());
            String line = lines.get(0);
            int position = usage.indexOf(line);
            int group = flag.group().ordinal();
            assertTrue(position > groupPositions.get(group), flag.longName());
            if (group + 1 < groupPositions.size()) {
                assertTrue(position < groupPositions.get(group + 1), flag.longName());
            }
        }
    }

    @Test
    void showsTypeDefaultAndHelpOnAFlagsUsageLine() {
        String usage = UpstreamFlags.usage();
        assertTrue(usage.lines().anyMatch(l -> l.matches(" +--port int +Port to listen on \\(HTTPS\\) \\(default 443\\)")),
                usage);
        assertTrue(usage.lines().anyMatch(l -> l.matches(" +--resync-period duration +.*\\(default 1m0s\\)")), usage);
        assertTrue(usage.lines().anyMatch(l -> l.matches(" +-h, --help +Display this help and exit")), usage);
        assertTrue(usage.lines().anyMatch(l -> l.matches(" +--log_dir string +Ignored: .*\\(also --log-dir\\)")), usage);
    }

    private static Flag flag(String name) {
        return UpstreamFlags.flags().stream().filter(f -> f.longName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no flag --" + name));
    }

    private static ParsedFlags parse(String args) {
        return UpstreamFlags.parse(args.split(" "));
    }
}
