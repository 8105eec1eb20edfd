package io.podidentity.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The file of {@code --watch-container-credentials-config} (SPEC §1.4). */
class ContainerCredentialsIdentitiesTest {

    private static final String TWO = "{\"identities\": ["
            + "{\"namespace\": \"default\", \"serviceAccount\": \"app\"},"
            + "{\"namespace\": \"team\", \"serviceAccount\": \"web\"}]}";

    private final ContainerCredentialsIdentities identities = new ContainerCredentialsIdentities();

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void listsExactlyTheNamedServiceAccounts() {
        identities.load(bytes(TWO));

        assertTrue(identities.contains("default", "app"));
        assertTrue(identities.contains("team", "web"));
        assertFalse(identities.contains("team", "app"), "namespace and name are matched together");
        assertFalse(identities.contains("app", "default"));
        assertEquals(2, identities.size());
    }

    @Test
    void ignoresUnknownFields() {
        identities.load(bytes("{\"version\": 2, \"identities\": ["
                + "{\"namespace\": \"default\", \"serviceAccount\": \"app\", \"comment\": \"x\"}]}"));

        assertTrue(identities.contains("default", "app"));
        assertEquals(1, identities.size());
    }

    @Test
    void replacesTheWholeSetOnEachLoad() {
        identities.load(bytes(TWO));

        identities.load(bytes("{\"identities\": [{\"namespace\": \"team\", \"serviceAccount\": \"web\"}]}"));

        assertFalse(identities.contains("default", "app"));
        assertTrue(identities.contains("team", "web"));
    }

    static Stream<Arguments> empty() {
        return Stream.of(
                argumentSet("a missing file", (Object) null),
                argumentSet("an empty file", (Object) new byte[0]),
                argumentSet("a file of whitespace", (Object) bytes(" \n\t")),
                argumentSet("an object without identities", (Object) bytes("{}")),
                argumentSet("identities null", (Object) bytes("{\"identities\": null}")),
                argumentSet("an empty identities list", (Object) bytes("{\"identities\": []}")),
                argumentSet("a null item and an item with a null field",
                        (Object) bytes("{\"identities\": [null, {\"namespace\": null, \"serviceAccount\": \"app\"}]}")));
    }

    @ParameterizedTest(name = "{argumentSetName} means no identities")
    @MethodSource("empty")
    void emptyContentMeansNoIdentities(byte[] content) {
        identities.load(bytes(TWO));

        identities.load(content);

        assertEquals(0, identities.size());
        assertFalse(identities.contains("default", "app"));
    }

    static Stream<Arguments> rejected() {
        return Stream.of(
                argumentSet("a JSON array", "[]", "expected a JSON object {\"identities\": [...]}"),
                argumentSet("a JSON null", "null", "expected a JSON object {\"identities\": [...]}"),
                argumentSet("Identities that is a string, named as written", "{\"Identities\": \"default/app\"}",
                        "\"Identities\" must be an array"),
                argumentSet("an item with a ServiceAccount that is a boolean, named as written",
                        "{\"identities\": [{\"Namespace\": \"a\", \"ServiceAccount\": true}]}",
                        "identities[0].ServiceAccount must be a string"),
                argumentSet("identities that is an object", "{\"identities\": {}}", "\"identities\" must be an array"),
                argumentSet("an item with a numeric serviceAccount",
                        "{\"identities\": [{\"namespace\": \"a\", \"serviceAccount\": 5}]}",
                        "identities[0].serviceAccount must be a string"),
                argumentSet("an item that is a string", "{\"identities\": [\"default/app\"]}", "identities[0] must be an object"));
    }

    @Test
    void matchesFieldNamesCaseInsensitivelyLikeGo() {
        identities.load(bytes("{\"Identities\": [{\"Namespace\": \"default\", \"ServiceAccount\": \"app\"}]}"));

        assertTrue(identities.contains("default", "app"));
    }

    @Test
    void letsALaterSpellingOfAFieldReplaceAnEarlierOneLikeGo() {
        identities.load(bytes("{\"identities\": [{\"namespace\": \"default\", \"serviceAccount\": \"app\", \"Namespace\": \"team\"}]}"));

        assertTrue(identities.contains("team", "app"));
        assertEquals(1, identities.size());
    }

    @Test
    void skipsIncompleteItemsThatCanNeverMatchLikeGo() {
        identities.load(bytes("{\"identities\": [{\"namespace\": \"default\", \"serviceAccount\": \"app\"},"
                + " {\"namespace\": \"a\"}, {\"namespace\": \"\", \"serviceAccount\": \"b\"}]}"));

        assertEquals(1, identities.size());
        assertTrue(identities.contains("default", "app"));
    }

    @ParameterizedTest(name = "{argumentSetName} is rejected and the previous set kept")
    @MethodSource("rejected")
    void rejectsMalformedContentKeepingPreviousSet(String content, String message) {
        identities.load(bytes(TWO));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> identities.load(bytes(content)));

        assertEquals(message, e.getMessage());
        assertTrue(identities.contains("default", "app"));
        assertEquals(2, identities.size());
    }

    @Test
    void rejectsInvalidJsonKeepingPreviousSet() {
        identities.load(bytes(TWO));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> identities.load(bytes("{\"identities\": [{\"namespace\": ")));

        assertTrue(e.getMessage().startsWith("not valid JSON: "), e.getMessage());
        assertEquals(2, identities.size());
    }
}
