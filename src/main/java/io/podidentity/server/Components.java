package io.podidentity.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.podidentity.admission.AdmissionHandler;
import io.podidentity.config.Flag;
import io.podidentity.config.UpstreamFlags;
import io.podidentity.config.WebhookConfig;
import io.podidentity.health.Readiness;
import io.podidentity.identity.ConfigMapIdentities;
import io.podidentity.identity.ContainerCredentialsIdentities;
import io.podidentity.identity.IdentityDefaults;
import io.podidentity.identity.IdentityResolver;
import io.podidentity.identity.ObjectsFile;
import io.podidentity.identity.RoleArns;
import io.podidentity.identity.ServiceAccountFetcher;
import io.podidentity.identity.ServiceAccountStore;
import io.podidentity.metrics.WebhookMetrics;
import io.podidentity.mutation.MutationSettings;
import io.podidentity.mutation.PodMutator;
import io.podidentity.mutation.TokenLifetime;
import io.podidentity.mutation.TokenMount;
import io.quarkus.runtime.annotations.CommandLineArguments;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import org.eclipse.microprofile.config.Config;

/**
 * Builds the domain objects from {@link WebhookConfig}; the only place they meet CDI. The
 * construction itself is in plain static factories so that the offline {@code mutate} command
 * builds exactly what the server runs, without a container.
 *
 * <p>The configuration is the command line Quarkus was started with, which {@link io.podidentity.Main}
 * made from the checked settings ({@link WebhookConfig#arguments()}), over the configuration
 * properties (in tests, the test's own).
 */
@Singleton
public class Components {

    /** The ServiceAccount cache, keeping only annotations under {@code --annotation-prefix}. */
    public static ServiceAccountStore newServiceAccountStore(WebhookConfig config) {
        return new ServiceAccountStore(config.string(Flag.ANNOTATION_PREFIX));
    }

    /** Audience, regional STS, token lifetime and role ARN form applied to every identity. */
    public static IdentityDefaults newIdentityDefaults(WebhookConfig config, AwsAccount account) {
        RoleArns roleArns = config.bool(Flag.COMPOSE_ROLE_ARN)
                ? new RoleArns(true, account.partition(), account.accountId())
                : RoleArns.plain();
        return new IdentityDefaults(
                config.string(Flag.TOKEN_AUDIENCE),
                config.bool(Flag.STS_REGIONAL_ENDPOINT),
                TokenLifetime.atLeastMinimum(config.integer(Flag.TOKEN_EXPIRATION)),
                roleArns);
    }

    public static IdentityResolver newIdentityResolver(
            WebhookConfig config,
            ServiceAccountStore store,
            ConfigMapIdentities configMap,
            ContainerCredentialsIdentities containerCredentials,
            IdentityDefaults defaults,
            ServiceAccountFetcher fetcher) {
        return new IdentityResolver(
                store,
                configMap,
                containerCredentials,
                defaults,
                config.duration(Flag.SERVICE_ACCOUNT_LOOKUP_GRACE_PERIOD),
                fetcher);
    }

    /**
     * The admission path with no cluster and no server, fed from files (the {@code mutate}
     * command, the benchmarks): a ServiceAccount missing from {@code objects} is missing.
     *
     * @param containerCredentials the container-credentials file's content, or {@code null}
     */
    public static AdmissionHandler newOfflineAdmissionHandler(
            WebhookConfig config, ObjectsFile objects, byte[] containerCredentials, ObjectMapper json) {
        ServiceAccountStore store = newServiceAccountStore(config);
        store.replaceAll(objects.serviceAccounts());
        IdentityDefaults defaults = newIdentityDefaults(config, AwsAccount.of(config));
        ConfigMapIdentities configMap = new ConfigMapIdentities(defaults);
        if (config.bool(Flag.WATCH_CONFIG_MAP) && objects.configMapConfig() != null) {
            configMap.update(objects.configMapConfig());
        }
        ContainerCredentialsIdentities credentials = new ContainerCredentialsIdentities();
        if (containerCredentials != null) {
            credentials.load(containerCredentials);
        }
        return new AdmissionHandler(json,
                newIdentityResolver(config, store, configMap, credentials, defaults, ServiceAccountFetcher.NONE),
                newPodMutator(config), newWebhookMetrics(store));
    }

    /** Upstream's metrics, with the usage gauge reading {@code store}. */
    public static WebhookMetrics newWebhookMetrics(ServiceAccountStore store) {
        WebhookMetrics metrics = new WebhookMetrics();
        metrics.registerUsage(() -> store.size() > 0 ? 1 : 0);
        return metrics;
    }

    public static PodMutator newPodMutator(WebhookConfig config) {
        return new PodMutator(mutationSettings(config), new SecureRandom());
    }

    /** The mutation's cluster-wide settings: prefix, region, token mounts, container credentials. */
    public static MutationSettings mutationSettings(WebhookConfig config) {
        return new MutationSettings(
                config.string(Flag.ANNOTATION_PREFIX),
                config.string(Flag.AWS_DEFAULT_REGION),
                new TokenMount("aws-iam-token", config.string(Flag.TOKEN_MOUNT_PATH), "token"),
                new TokenMount(
                        config.string(Flag.CONTAINER_CREDENTIALS_TOKEN_VOLUME_NAME),
                        config.string(Flag.CONTAINER_CREDENTIALS_TOKEN_MOUNT_PATH),
                        config.string(Flag.CONTAINER_CREDENTIALS_TOKEN_PATH)),
                config.string(Flag.CONTAINER_CREDENTIALS_AUDIENCE),
                config.string(Flag.CONTAINER_CREDENTIALS_FULL_URI));
    }

    @Produces
    @Singleton
    WebhookConfig webhookConfig(@CommandLineArguments String[] args, Config properties) {
        return WebhookConfig.resolve(UpstreamFlags.parse(args).properties(),
                flag -> properties.getOptionalValue(flag.property(), String.class));
    }

    @Produces
    @Singleton
    ServiceAccountStore serviceAccountStore(WebhookConfig config) {
        return newServiceAccountStore(config);
    }

    @Produces
    @Singleton
    AwsAccount awsAccount(WebhookConfig config) {
        return AwsAccount.of(config);
    }

    @Produces
    @Singleton
    IdentityDefaults identityDefaults(WebhookConfig config, AwsAccount account) {
        return newIdentityDefaults(config, account);
    }

    @Produces
    @Singleton
    ConfigMapIdentities configMapIdentities(IdentityDefaults defaults) {
        return new ConfigMapIdentities(defaults);
    }

    @Produces
    @Singleton
    ContainerCredentialsIdentities containerCredentialsIdentities() {
        return new ContainerCredentialsIdentities();
    }

    @Produces
    @Singleton
    IdentityResolver identityResolver(
            WebhookConfig config,
            ServiceAccountStore store,
            ConfigMapIdentities configMap,
            ContainerCredentialsIdentities containerCredentials,
            IdentityDefaults defaults,
            IdentitySources sources) {
        return newIdentityResolver(config, store, configMap, containerCredentials, defaults, sources.fetcher());
    }

    @Produces
    @Singleton
    PodMutator podMutator(WebhookConfig config) {
        return newPodMutator(config);
    }

    @Produces
    @Singleton
    WebhookMetrics webhookMetrics(ServiceAccountStore store) {
        return newWebhookMetrics(store);
    }

    @Produces
    @Singleton
    Readiness readiness() {
        return new Readiness();
    }

    @Produces
    @Singleton
    AdmissionHandler admissionHandler(
            ObjectMapper json, IdentityResolver resolver, PodMutator mutator, WebhookMetrics metrics) {
        return new AdmissionHandler(json, resolver, mutator, metrics);
    }
}
