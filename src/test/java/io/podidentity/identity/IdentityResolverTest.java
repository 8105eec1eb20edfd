package io.podidentity.identity;

import static io.podidentity.identity.TestAnnotations.PREFIX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import io.podidentity.identity.Resolution.Outcome;
import io.podidentity.mutation.Identity;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The order of preference of SPEC §1 and the ServiceAccount lookup grace period. */
class IdentityResolverTest {

    private static final String ROLE = "arn:aws:iam::111122223333:role/app";
    private static final String OTHER_ROLE = "arn:aws:iam::111122223333:role/from-config-map";
    private static final IdentityDefaults FLAGS = new IdentityDefaults("sts.amazonaws.com", false, 86400, RoleArns.plain());

    private final ServiceAccountStore serviceAccounts = new ServiceAccountStore(PREFIX);
    private final ContainerCredentialsIdentities containerCredentials = new ContainerCredentialsIdentities();
    private final List<String> fetches = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopExecutor() {
        executor.shutdownNow();
    }

    private IdentityResolver resolver(IdentityDefaults defaults, ConfigMapIdentities configMap, Duration grace) {
        return new IdentityResolver(serviceAccounts, configMap, containerCredentials, defaults, grace,
                (namespace, name) -> fetches.add(namespace + "/" + name));
    }

    private IdentityResolver resolver(ConfigMapIdentities configMap) {
        return resolver(FLAGS, configMap, Duration.ZERO);
    }

    private static ConfigMapIdentities configMap(IdentityDefaults defaults, String json) {
        ConfigMapIdentities configMap = new ConfigMapIdentities(defaults);
        configMap.update(json);
        return configMap;
    }

    private static ConfigMapIdentities noConfigMap() {
        return new ConfigMapIdentities(FLAGS);
    }

    private void serviceAccount(String namespace, String name, Map<String, String> annotations) {
        serviceAccounts.store(namespace, name, "1", annotations);
    }

    private static Map<String, String> annotations(String... suffixAndValue) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < suffixAndValue.length; i += 2) {
            map.put(PREFIX + "/" + suffixAndValue[i], suffixAndValue[i + 1]);
        }
        return map;
    }

    private void listInContainerCredentialsFile(String namespace, String name) {
        String json = "{\"identities\":[{\"namespace\":\"" + namespace + "\",\"serviceAccount\":\"" + name + "\"}]}";
        containerCredentials.load(json.getBytes(StandardCharsets.UTF_8));
    }

    private static Resolution resolved(IdentityResolver resolver, String namespace, String name) throws Exception {
        return resolver.resolve(namespace, name).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    // --- order of preference -------------------------------------------------------------------

    @Test
    void configMapRoleIsUsedAsGivenEvenWithComposeRoleArnLikeUpstream() throws Exception {
        IdentityDefaults composing = new IdentityDefaults("sts.amazonaws.com", false, 86400,
                new RoleArns(true, "aws", "111122223333"));
        ConfigMapIdentities configMap = configMap(composing, "{\"default/app\": {\"RoleARN\": \"bare-name\"}}");

        Resolution resolution = resolved(resolver(composing, configMap, Duration.ZERO), "default", "app");

        assertEquals("bare-name", ((Identity.WebIdentity) resolution.identity()).roleArn());
        assertEquals(1, resolution.warnings().size());
        assertTrue(resolution.warnings().get(0).contains("\"bare-name\" is not a valid IAM role ARN"),
                resolution.warnings().toString());
    }

    @Test
    void containerCredentialsFileBeatsRoleArnAnnotation() throws Exception {
        serviceAccount("default", "app", annotations("role-arn", ROLE));
        listInContainerCredentialsFile("default", "app");

        Resolution resolution = resolved(resolver(noConfigMap()), "default", "app");

        assertEquals(Outcome.CONTAINER_CREDENTIALS, resolution.outcome());
        assertEquals(new Identity.ContainerCredentials(false, 86400), resolution.identity());
    }

    @Test
    void containerCredentialsFileAppliesOnlyToTheListedNamespace() throws Exception {
        serviceAccount("other", "app", annotations("role-arn", ROLE));
        listInContainerCredentialsFile("default", "app");

        Resolution resolution = resolved(resolver(noConfigMap()), "other", "app");

        assertEquals(Outcome.SERVICE_ACCOUNT_ROLE, resolution.outcome());
    }

    @Test
    void serviceAccountAnnotationBeatsConfigMap() throws Exception {
        serviceAccount("default", "app", annotations("role-arn", ROLE));
        ConfigMapIdentities configMap = configMap(FLAGS, "{\"default/app\": {\"RoleARN\": \"" + OTHER_ROLE + "\"}}");

        Resolution resolution = resolved(resolver(configMap), "default", "app");

        assertEquals(Outcome.SERVICE_ACCOUNT_ROLE, resolution.outcome());
        assertEquals(new Identity.WebIdentity(ROLE, "sts.amazonaws.com", false, 86400), resolution.identity());
    }

    @Test
    void configMapAppliesWhenServiceAccountHasNoRoleAnnotation() throws Exception {
        serviceAccount("default", "app", annotations("audience", "ignored-without-role"));
        ConfigMapIdentities configMap = configMap(FLAGS, "{\"default/app\": {\"RoleARN\": \"" + OTHER_ROLE + "\"}}");

        Resolution resolution = resolved(resolver(configMap), "default", "app");

        assertEquals(Outcome.CONFIG_MAP_ROLE, resolution.outcome());
        assertEquals(new Identity.WebIdentity(OTHER_ROLE, "sts.amazonaws.com", false, 86400), resolution.identity());
    }

    @Test
    void exactConfigMapEntryBeatsWildcardEntry() throws Exception {
        serviceAccount("default", "app", Map.of());
        ConfigMapIdentities configMap = configMap(FLAGS, "{"
                + "\"*/app\": {\"RoleARN\": \"arn:aws:iam::111122223333:role/wildcard\"},"
                + "\"default/app\": {\"RoleARN\": \"arn:aws:iam::111122223333:role/exact\"}}");

        Resolution resolution = resolved(resolver(configMap), "default", "app");

        assertEquals(new Identity.WebIdentity("arn:aws:iam::111122223333:role/exact", "sts.amazonaws.com", false, 86400),
                resolution.identity());
    }

    @ParameterizedTest(name = "the */app entry applies in namespace \"{0}\"")
    @ValueSource(strings = {"default", "kube-system", "team-a"})
    void wildcardConfigMapEntryAppliesInAnyNamespace(String namespace) throws Exception {
        serviceAccount(namespace, "app", Map.of());
        ConfigMapIdentities configMap = configMap(FLAGS, "{\"*/app\": {\"RoleARN\": \"" + OTHER_ROLE + "\"}}");

        Resolution resolution = resolved(resolver(configMap), namespace, "app");

        assertEquals(Outcome.CONFIG_MAP_ROLE, resolution.outcome());
        assertEquals(OTHER_ROLE, ((Identity.WebIdentity) resolution.identity()).roleArn());
    }

    @Test
    void wildcardConfigMapEntryDoesNotApplyToAnotherName() throws Exception {
        serviceAccount("default", "web", Map.of());
        ConfigMapIdentities configMap = configMap(FLAGS, "{\"*/app\": {\"RoleARN\": \"" + OTHER_ROLE + "\"}}");

        Resolution resolution = resolved(resolver(configMap), "default", "web");

        assertEquals(Outcome.NO_ROLE, resolution.outcome());
        assertNull(resolution.identity());
    }

    @Test
    void configMapEntryWithoutRoleGivesNoIdentity() throws Exception {
        serviceAccount("default", "app", Map.of());
        ConfigMapIdentities configMap = configMap(FLAGS, "{\"default/app\": {\"Audience\": \"x\"}}");

        Resolution resolution = resolved(resolver(configMap), "default", "app");

        assertEquals(Outcome.NO_ROLE, resolution.outcome());
        assertNull(resolution.identity());
    }

    @Test
    void serviceAccountWithoutRoleGetsNoIdentityWithoutWaitingEvenWithGracePeriod() {
        serviceAccount("default", "app", Map.of("unrelated/annotation", "x"));

        CompletableFuture<Resolution> future =
                resolver(FLAGS, noConfigMap(), Duration.ofSeconds(30)).resolve("default", "app").toCompletableFuture();

        assertTrue(future.isDone(), "a known ServiceAccount without a role must not wait");
        Resolution resolution = future.join();
        assertEquals(Outcome.NO_ROLE, resolution.outcome());
        assertNull(resolution.identity());
        assertEquals(List.of(), resolution.warnings());
        assertEquals(List.of(), fetches);
    }

    @Test
    void emptyRoleArnAnnotationCountsAsNoRole() throws Exception {
        serviceAccount("default", "app", annotations("role-arn", ""));

        Resolution resolution = resolved(resolver(noConfigMap()), "default", "app");

        assertEquals(Outcome.NO_ROLE, resolution.outcome());
    }

    // --- ServiceAccount annotations against the flag values -------------------------------------

    static Stream<Arguments> serviceAccountAnnotations() {
        IdentityDefaults regionalFlag = new IdentityDefaults("sts.amazonaws.com", true, 86400, RoleArns.plain());
        IdentityDefaults customFlags = new IdentityDefaults("custom-audience", false, 3600, RoleArns.plain());
        String where = "ServiceAccount default/app annotation eks.amazonaws.com/";
        return Stream.of(
                argumentSet("without other annotations the flag values apply", customFlags,
                        annotations("role-arn", ROLE),
                        new Identity.WebIdentity(ROLE, "custom-audience", false, 3600), List.of()),
                argumentSet("the audience annotation replaces --token-audience", customFlags,
                        annotations("role-arn", ROLE, "audience", "my-audience"),
                        new Identity.WebIdentity(ROLE, "my-audience", false, 3600), List.of()),
                argumentSet("sts-regional-endpoints true overrides --sts-regional-endpoint=false", FLAGS,
                        annotations("role-arn", ROLE, "sts-regional-endpoints", "true"),
                        new Identity.WebIdentity(ROLE, "sts.amazonaws.com", true, 86400), List.of()),
                argumentSet("sts-regional-endpoints false overrides --sts-regional-endpoint=true", regionalFlag,
                        annotations("role-arn", ROLE, "sts-regional-endpoints", "false"),
                        new Identity.WebIdentity(ROLE, "sts.amazonaws.com", false, 86400), List.of()),
                argumentSet("sts-regional-endpoints accepts Go's spelling 1", FLAGS,
                        annotations("role-arn", ROLE, "sts-regional-endpoints", "1"),
                        new Identity.WebIdentity(ROLE, "sts.amazonaws.com", true, 86400), List.of()),
                argumentSet("an invalid sts-regional-endpoints is ignored and the flag (on) stands", regionalFlag,
                        annotations("role-arn", ROLE, "sts-regional-endpoints", "yes"),
                        new Identity.WebIdentity(ROLE, "sts.amazonaws.com", true, 86400),
                        List.of(where + "sts-regional-endpoints: \"yes\" is not a boolean (true or false); using true")),
                argumentSet("an invalid sts-regional-endpoints is ignored and the flag (off) stands", FLAGS,
                        annotations("role-arn", ROLE, "sts-regional-endpoints", "regional"),
                        new Identity.WebIdentity(ROLE, "sts.amazonaws.com", false, 86400),
                        List.of(where + "sts-regional-endpoints: \"regional\" is not a boolean (true or false); using false")),
                argumentSet("the token-expiration annotation replaces --token-expiration", customFlags,
                        annotations("role-arn", ROLE, "token-expiration", "7200"),
                        new Identity.WebIdentity(ROLE, "custom-audience", false, 7200), List.of()),
                argumentSet("a token-expiration below 600 is raised to 600", FLAGS,
                        annotations("role-arn", ROLE, "token-expiration", "60"),
                        new Identity.WebIdentity(ROLE, "sts.amazonaws.com", false, 600),
                        List.of(where + "token-expiration: 60 is below the minimum of 600 seconds; using 600")),
                argumentSet("a token-expiration that is not an integer leaves the flag value", customFlags,
                        annotations("role-arn", ROLE, "token-expiration", "one day"),
                        new Identity.WebIdentity(ROLE, "custom-audience", false, 3600),
                        List.of(where + "token-expiration: \"one day\" is not an integer number of seconds; using 3600")),
                argumentSet("a malformed role ARN is used and reported", FLAGS,
                        annotations("role-arn", "app"),
                        new Identity.WebIdentity("app", "sts.amazonaws.com", false, 86400),
                        List.of(where + "role-arn: \"app\" is not a valid IAM role ARN (expected "
                                + "arn:<partition>:iam::<12-digit account>:role/<name>); using it anyway")),
                argumentSet("with --compose-role-arn a bare role name becomes a full ARN",
                        new IdentityDefaults("sts.amazonaws.com", false, 86400, new RoleArns(true, "aws-us-gov", "111122223333")),
                        annotations("role-arn", "team/app"),
                        new Identity.WebIdentity("arn:aws-us-gov:iam::111122223333:role/team/app", "sts.amazonaws.com", false, 86400),
                        List.of()));
    }

    @ParameterizedTest(name = "{argumentSetName}")
    @MethodSource("serviceAccountAnnotations")
    void readsServiceAccountAnnotations(
            IdentityDefaults defaults, Map<String, String> annotations, Identity expected, List<String> warnings) throws Exception {
        serviceAccount("default", "app", annotations);

        Resolution resolution = resolved(resolver(defaults, new ConfigMapIdentities(defaults), Duration.ZERO), "default", "app");

        assertEquals(Outcome.SERVICE_ACCOUNT_ROLE, resolution.outcome());
        assertEquals(expected, resolution.identity());
        assertEquals(warnings, resolution.warnings());
    }

    // --- ConfigMap entries against the flag values ----------------------------------------------

    static Stream<Arguments> configMapEntries() {
        IdentityDefaults flags = new IdentityDefaults("flag-audience", true, 3600, RoleArns.plain());
        return Stream.of(
                argumentSet("an absent Audience means --token-audience", flags,
                        "{\"RoleARN\": \"" + ROLE + "\", \"UseRegionalSTS\": true, \"TokenExpiration\": 7200}",
                        new Identity.WebIdentity(ROLE, "flag-audience", true, 7200)),
                argumentSet("an absent UseRegionalSTS means false, whatever --sts-regional-endpoint says", flags,
                        "{\"RoleARN\": \"" + ROLE + "\", \"Audience\": \"a\", \"TokenExpiration\": 7200}",
                        new Identity.WebIdentity(ROLE, "a", false, 7200)),
                argumentSet("an absent TokenExpiration means --token-expiration", flags,
                        "{\"RoleARN\": \"" + ROLE + "\", \"Audience\": \"a\"}",
                        new Identity.WebIdentity(ROLE, "a", false, 3600)),
                argumentSet("a TokenExpiration of 0 means --token-expiration", flags,
                        "{\"RoleARN\": \"" + ROLE + "\", \"TokenExpiration\": 0}",
                        new Identity.WebIdentity(ROLE, "flag-audience", false, 3600)),
                argumentSet("a TokenExpiration below 600 is raised to 600", flags,
                        "{\"RoleARN\": \"" + ROLE + "\", \"TokenExpiration\": 300}",
                        new Identity.WebIdentity(ROLE, "flag-audience", false, 600)),
                argumentSet("every field given is used as given", flags,
                        "{\"RoleARN\": \"" + ROLE + "\", \"Audience\": \"a\", \"UseRegionalSTS\": false, \"TokenExpiration\": 900}",
                        new Identity.WebIdentity(ROLE, "a", false, 900)));
    }

    @ParameterizedTest(name = "{argumentSetName}")
    @MethodSource("configMapEntries")
    void appliesConfigMapEntryDefaults(IdentityDefaults defaults, String entry, Identity expected) throws Exception {
        serviceAccount("default", "app", Map.of());
        ConfigMapIdentities configMap = configMap(defaults, "{\"default/app\": " + entry + "}");

        Resolution resolution = resolved(resolver(defaults, configMap, Duration.ZERO), "default", "app");

        assertEquals(Outcome.CONFIG_MAP_ROLE, resolution.outcome());
        assertEquals(expected, resolution.identity());
    }

    // --- container credentials: STS and lifetime ------------------------------------------------

    @Test
    void containerCredentialsTakeStsAndLifetimeFromServiceAccountAnnotations() throws Exception {
        serviceAccount("default", "app", annotations("sts-regional-endpoints", "true", "token-expiration", "7200"));
        listInContainerCredentialsFile("default", "app");
        ConfigMapIdentities configMap = configMap(FLAGS,
                "{\"default/app\": {\"RoleARN\": \"" + OTHER_ROLE + "\", \"UseRegionalSTS\": false, \"TokenExpiration\": 900}}");

        Resolution resolution = resolved(resolver(configMap), "default", "app");

        assertEquals(new Identity.ContainerCredentials(true, 7200), resolution.identity());
    }

    @Test
    void containerCredentialsTakeFlagValuesForAServiceAccountWithoutAnnotations() throws Exception {
        IdentityDefaults flags = new IdentityDefaults("sts.amazonaws.com", true, 3600, RoleArns.plain());
        serviceAccount("default", "app", Map.of());
        listInContainerCredentialsFile("default", "app");

        Resolution resolution = resolved(resolver(flags, new ConfigMapIdentities(flags), Duration.ZERO), "default", "app");

        assertEquals(new Identity.ContainerCredentials(true, 3600), resolution.identity());
    }

    @Test
    void containerCredentialsTakeStsAndLifetimeFromExactConfigMapEntryWhenServiceAccountIsMissing() throws Exception {
        listInContainerCredentialsFile("default", "app");
        ConfigMapIdentities configMap = configMap(FLAGS,
                "{\"default/app\": {\"RoleARN\": \"" + OTHER_ROLE + "\", \"UseRegionalSTS\": true, \"TokenExpiration\": 5400}}");

        Resolution resolution = resolved(resolver(configMap), "default", "app");

        assertEquals(Outcome.CONTAINER_CREDENTIALS, resolution.outcome());
        assertEquals(new Identity.ContainerCredentials(true, 5400), resolution.identity());
    }

    @Test
    void containerCredentialsIgnoreWildcardConfigMapEntryAndFlags() throws Exception {
        IdentityDefaults flags = new IdentityDefaults("sts.amazonaws.com", true, 3600, RoleArns.plain());
        listInContainerCredentialsFile("default", "app");
        ConfigMapIdentities configMap = configMap(flags,
                "{\"*/app\": {\"RoleARN\": \"" + OTHER_ROLE + "\", \"UseRegionalSTS\": true, \"TokenExpiration\": 5400}}");

        Resolution resolution = resolved(resolver(flags, configMap, Duration.ZERO), "default", "app");

        assertEquals(new Identity.ContainerCredentials(false, 86400), resolution.identity());
    }

    @Test
    void containerCredentialsDoNotWaitForAMissingServiceAccount() {
        listInContainerCredentialsFile("default", "app");

        CompletableFuture<Resolution> future =
                resolver(FLAGS, noConfigMap(), Duration.ofSeconds(30)).resolve("default", "app").toCompletableFuture();

        assertTrue(future.isDone());
        assertEquals(new Identity.ContainerCredentials(false, 86400), future.join().identity());
        assertEquals(List.of(), fetches);
    }

    // --- missing names and missing ServiceAccounts ----------------------------------------------

    @ParameterizedTest(name = "serviceAccountName \"{0}\"")
    @ValueSource(strings = {""})
    @NullSource
    void podWithoutServiceAccountNameGetsNoIdentity(String name) throws Exception {
        ConfigMapIdentities configMap = configMap(FLAGS, "{\"*/default\": {\"RoleARN\": \"" + OTHER_ROLE + "\"}}");

        Resolution resolution = resolved(resolver(FLAGS, configMap, Duration.ofSeconds(30)), "default", name);

        assertEquals(Outcome.NO_SERVICE_ACCOUNT_NAME, resolution.outcome());
        assertNull(resolution.identity());
        assertEquals(List.of(), fetches);
    }

    @Test
    void missingServiceAccountWithoutGracePeriodIsReportedAtOnceWithoutFetching() {
        CompletableFuture<Resolution> future =
                resolver(FLAGS, noConfigMap(), Duration.ZERO).resolve("default", "app").toCompletableFuture();

        assertTrue(future.isDone(), "grace 0 must not wait");
        Resolution resolution = future.join();
        assertEquals(Outcome.SERVICE_ACCOUNT_MISSING, resolution.outcome());
        assertNull(resolution.identity());
        assertEquals(List.of("ServiceAccount default/app is not known to the pod identity webhook yet; the pod gets no AWS"
                + " credentials from it (--service-account-lookup-grace-period makes the webhook wait for new"
                + " ServiceAccounts)"), resolution.warnings());
        assertEquals(List.of(), fetches);
    }

    @Test
    void missingServiceAccountWithConfigMapEntryIsAnsweredWithoutWaiting() {
        ConfigMapIdentities configMap = configMap(FLAGS, "{\"*/app\": {\"RoleARN\": \"" + OTHER_ROLE + "\"}}");

        CompletableFuture<Resolution> future =
                resolver(FLAGS, configMap, Duration.ofSeconds(30)).resolve("default", "app").toCompletableFuture();

        assertTrue(future.isDone());
        assertEquals(Outcome.CONFIG_MAP_ROLE, future.join().outcome());
        assertEquals(List.of(), fetches);
    }

    @Test
    void missingServiceAccountIsFetchedAndUsedWhenItArrivesDuringTheGracePeriod() throws Exception {
        Duration grace = Duration.ofSeconds(20);
        long start = System.nanoTime();

        CompletableFuture<Resolution> future =
                resolver(FLAGS, noConfigMap(), grace).resolve("default", "app").toCompletableFuture();
        assertFalse(future.isDone(), "a missing ServiceAccount is waited for");
        executor.schedule(() -> serviceAccounts.storeIfAbsent("default", "app", "7", annotations("role-arn", ROLE)),
                100, TimeUnit.MILLISECONDS);
        Resolution resolution = future.get(10, TimeUnit.SECONDS);

        assertTrue(System.nanoTime() - start < grace.toNanos() / 2, "completes on arrival, not at the end of the grace period");
        assertEquals(Outcome.SERVICE_ACCOUNT_ROLE, resolution.outcome());
        assertEquals(new Identity.WebIdentity(ROLE, "sts.amazonaws.com", false, 86400), resolution.identity());
        assertEquals(List.of(), resolution.warnings());
        assertEquals(List.of("default/app"), fetches);
    }

    @Test
    void serviceAccountArrivingWithoutRoleDuringTheGracePeriodGivesNoRole() throws Exception {
        CompletableFuture<Resolution> future =
                resolver(FLAGS, noConfigMap(), Duration.ofSeconds(20)).resolve("default", "app").toCompletableFuture();
        executor.schedule(() -> serviceAccounts.storeIfAbsent("default", "app", "7", Map.of()), 50, TimeUnit.MILLISECONDS);

        Resolution resolution = future.get(10, TimeUnit.SECONDS);

        assertEquals(Outcome.NO_ROLE, resolution.outcome());
        assertEquals(List.of("default/app"), fetches);
    }

    @Test
    void missingServiceAccountIsReportedAfterTheGracePeriod() throws Exception {
        Duration grace = Duration.ofMillis(300);
        long start = System.nanoTime();

        Resolution resolution = resolver(FLAGS, noConfigMap(), grace).resolve("default", "app")
                .toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertTrue(System.nanoTime() - start >= grace.toNanos(), "waits the whole grace period");
        assertEquals(Outcome.SERVICE_ACCOUNT_MISSING, resolution.outcome());
        assertNull(resolution.identity());
        assertEquals(List.of("ServiceAccount default/app is not known to the pod identity webhook after waiting 300 ms;"
                + " the pod gets no AWS credentials from it"), resolution.warnings());
        assertEquals(List.of("default/app"), fetches);
    }
}
