package io.podidentity.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The {@code config} key of the {@code pod-identity-webhook} ConfigMap (SPEC §1.3). */
class ConfigMapIdentitiesTest {

    private static final String ROLE = "arn:aws:iam::111122223333:role/app";
    private static final IdentityDefaults FLAGS = new IdentityDefaults("flag-audience", true, 3600, RoleArns.plain());

    private final ConfigMapIdentities identities = new ConfigMapIdentities(FLAGS);

    @Test
    void matchesFieldNamesCaseInsensitivelyAsGoDoes() {
        identities.update("{\"default/app\": {\"rolearn\": \"" + ROLE + "\", \"AUDIENCE\": \"a\","
                + " \"useRegionalSts\": true, \"TOKENexpiration\": 7200}}");

        assertEquals(new ConfigMapEntry(ROLE, "a", true, 7200), identities.find("default", "app"));
    }

    @Test
    void ignoresUnknownFields() {
        identities.update("{\"default/app\": {\"RoleARN\": \"" + ROLE + "\", \"Comment\": \"owned by team a\","
                + " \"Extra\": {\"nested\": [1, 2]}}}");

        assertEquals(new ConfigMapEntry(ROLE, "flag-audience", false, 3600), identities.find("default", "app"));
    }

    @Test
    void treatsNullFieldsAsAbsent() {
        identities.update("{\"default/app\": {\"RoleARN\": \"" + ROLE + "\", \"Audience\": null,"
                + " \"UseRegionalSTS\": null, \"TokenExpiration\": null}}");

        assertEquals(new ConfigMapEntry(ROLE, "flag-audience", false, 3600), identities.find("default", "app"));
    }

    @Test
    void letsALaterSpellingOfAFieldReplaceAnEarlierOneAsGoDoes() {
        identities.update("{\"default/app\": {\"RoleARN\": \"first\", \"Audience\": \"a\", \"UseRegionalSTS\": true,"
                + " \"TokenExpiration\": 7200, \"rolearn\": \"" + ROLE + "\"}}");

        assertEquals(new ConfigMapEntry(ROLE, "a", true, 7200), identities.find("default", "app"));
    }

    @Test
    void findsExactEntryBeforeWildcardButFindExactIgnoresWildcard() {
        identities.update("{\"*/app\": {\"RoleARN\": \"wildcard\"}, \"team/app\": {\"RoleARN\": \"exact\"}}");

        assertEquals("exact", identities.find("team", "app").roleArn());
        assertEquals("wildcard", identities.find("other", "app").roleArn());
        assertEquals("exact", identities.findExact("team", "app").roleArn());
        assertNull(identities.findExact("other", "app"));
        assertNull(identities.find("team", "web"));
    }

    static Stream<Arguments> rejected() {
        return Stream.of(
                argumentSet("a key without a slash", "{\"app\": {}}",
                        "entry \"app\": the key must be \"namespace/name\" (or \"*/name\")"),
                argumentSet("a key without a namespace", "{\"/app\": {}}",
                        "entry \"/app\": the key must be \"namespace/name\" (or \"*/name\")"),
                argumentSet("a key without a name", "{\"default/\": {}}",
                        "entry \"default/\": the key must be \"namespace/name\" (or \"*/name\")"),
                argumentSet("a key with two slashes", "{\"a/b/c\": {}}",
                        "entry \"a/b/c\": the key must be \"namespace/name\" (or \"*/name\")"),
                argumentSet("an entry that is a string", "{\"default/app\": \"" + ROLE + "\"}",
                        "entry \"default/app\" must be a JSON object"),
                argumentSet("a RoleARN that is a number", "{\"default/app\": {\"RoleARN\": 5}}",
                        "entry \"default/app\": field \"RoleARN\" must be a string"),
                argumentSet("an Audience that is a boolean, named as written", "{\"default/app\": {\"audience\": false}}",
                        "entry \"default/app\": field \"audience\" must be a string"),
                argumentSet("a UseRegionalSTS given as a string", "{\"default/app\": {\"UseRegionalSTS\": \"true\"}}",
                        "entry \"default/app\": field \"UseRegionalSTS\" must be a boolean"),
                argumentSet("a TokenExpiration given as a string", "{\"default/app\": {\"TokenExpiration\": \"3600\"}}",
                        "entry \"default/app\": field \"TokenExpiration\" must be an integer number of seconds"),
                argumentSet("a TokenExpiration with a fraction", "{\"default/app\": {\"TokenExpiration\": 1.5}}",
                        "entry \"default/app\": field \"TokenExpiration\" must be an integer number of seconds"),
                argumentSet("a TokenExpiration beyond 64 bits", "{\"default/app\": {\"TokenExpiration\": 99999999999999999999}}",
                        "entry \"default/app\": field \"TokenExpiration\" must be an integer number of seconds"),
                argumentSet("a TokenExpiration that is a list, named as written", "{\"default/app\": {\"tokenexpiration\": [3600]}}",
                        "entry \"default/app\": field \"tokenexpiration\" must be an integer number of seconds"),
                argumentSet("a JSON null instead of an object", "null",
                        "key \"config\" must be a JSON object (or a YAML map) from \"namespace/name\" to settings"),
                argumentSet("a JSON array instead of an object", "[]",
                        "key \"config\" must be a JSON object (or a YAML map) from \"namespace/name\" to settings"),
                argumentSet("a JSON string instead of an object", "\"default/app\"",
                        "key \"config\" must be a JSON object (or a YAML map) from \"namespace/name\" to settings"));
    }

    @ParameterizedTest(name = "{argumentSetName} is rejected and the previous entries are kept")
    @MethodSource("rejected")
    void rejectsInvalidConfigKeepingPreviousEntries(String config, String message) {
        identities.update("{\"default/app\": {\"RoleARN\": \"" + ROLE + "\"}}");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> identities.update(config));

        assertEquals(message, e.getMessage());
        assertEquals(ROLE, identities.find("default", "app").roleArn());
        assertEquals(1, identities.size());
    }

    @Test
    void rejectsInvalidJsonNamingTheKeyAndKeepsPreviousEntries() {
        identities.update("{\"default/app\": {\"RoleARN\": \"" + ROLE + "\"}}");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> identities.update("{\"default/web\": {\"RoleARN\": "));

        assertTrue(e.getMessage().startsWith("key \"config\" is not valid JSON: "), e.getMessage());
        assertEquals(ROLE, identities.find("default", "app").roleArn());
        assertNull(identities.find("default", "web"));
    }

    @Test
    void reportsInvalidJsonBeforeAValueOfTheWrongType() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> identities.update("{\"default/app\": 5, \"default/web\": {"));

        assertTrue(e.getMessage().startsWith("key \"config\" is not valid JSON: "), e.getMessage());
    }

    @Test
    void readsTheSameMapWrittenAsYaml() {
        identities.update("""
                # kept readable in a GitOps repository
                default/app:
                  RoleARN: %s
                  UseRegionalSTS: true
                  TokenExpiration: 3600
                "*/batch":
                  RoleARN: %s
                """.formatted(ROLE, ROLE));

        ConfigMapEntry app = identities.find("default", "app");
        assertEquals(ROLE, app.roleArn());
        assertTrue(app.useRegionalSts());
        assertEquals(3600, app.tokenExpiration());
        assertEquals(ROLE, identities.find("elsewhere", "batch").roleArn());
    }

    @Test
    void rejectsInvalidYamlNamingTheKeyAndKeepsPreviousEntries() {
        identities.update("{\"default/app\": {\"RoleARN\": \"" + ROLE + "\"}}");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> identities.update("default/web: [unclosed\n"));

        assertTrue(e.getMessage().startsWith("key \"config\" is not valid YAML: "), e.getMessage());
        assertEquals(ROLE, identities.find("default", "app").roleArn());
    }

    @Test
    void removesKeysNoLongerListedAfterUpdate() {
        identities.update("{\"default/app\": {\"RoleARN\": \"a\"}, \"default/web\": {\"RoleARN\": \"w\"}}");

        identities.update("{\"default/web\": {\"RoleARN\": \"w2\"}}");

        assertNull(identities.find("default", "app"));
        assertEquals("w2", identities.find("default", "web").roleArn());
        assertEquals(1, identities.size());
    }

    @Test
    void emptyOrMissingConfigMeansNoEntries() {
        identities.update("{\"default/app\": {\"RoleARN\": \"a\"}}");
        identities.update("  ");
        assertEquals(0, identities.size());

        identities.update("{\"default/app\": {\"RoleARN\": \"a\"}}");
        identities.update(null);
        assertEquals(0, identities.size());
    }

    @Test
    void clearRemovesEveryEntry() {
        identities.update("{\"default/app\": {\"RoleARN\": \"a\"}, \"*/web\": {\"RoleARN\": \"w\"}}");

        identities.clear();

        assertEquals(0, identities.size());
        assertNull(identities.find("default", "app"));
        assertNull(identities.find("default", "web"));
    }
}
