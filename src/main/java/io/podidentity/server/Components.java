package io.podidentity.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.podidentity.admission.AdmissionHandler;
import io.podidentity.config.GoDuration;
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
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.security.SecureRandom;

/**
 * Builds the domain objects from {@link WebhookConfig}; the only place they meet CDI. The
 * construction itself is in plain static factories so that the offline {@code mutate} command
 * builds exactly what the server runs, without a container.
 */
@Singleton
public class Components {

    /** The ServiceAccount cache, keeping only annotations under {@code --annotation-prefix}. */
    public static ServiceAccountStore newServiceAccountStore(WebhookConfig config) {
        return new ServiceAccountStore(config.annotationPrefix());
    }

    /** Account and partition for {@code --compose-role-arn}; may ask EC2 instance metadata. */
    public static AwsAccount newAwsAccount(WebhookConfig config) {
        return AwsAccount.from(config);
    }

    /** Audience, regional STS, token lifetime and role ARN form applied to every identity. */
    public static IdentityDefaults newIdentityDefaults(WebhookConfig config, AwsAccount account) {
        RoleArns roleArns = config.composeRoleArn()
                ? new RoleArns(true, account.partition(), account.accountId())
                : RoleArns.plain();
        return new IdentityDefaults(
                config.tokenAudience(),
                config.stsRegionalEndpoint(),
                TokenLifetime.atLeastMinimum(config.tokenExpiration()),
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
                GoDuration.parse(config.serviceAccountLookupGracePeriod()),
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
        IdentityDefaults defaults = newIdentityDefaults(config, newAwsAccount(config));
        ConfigMapIdentities configMap = new ConfigMapIdentities(defaults);
        if (config.watchConfigMap() && objects.configMapConfig() != null) {
            configMap.update(objects.configMapConfig());
        }
        ContainerCredentialsIdentities credentials = new ContainerCredentialsIdentities();
        if (containerCredentials != null) {
            credentials.load(containerCredentials);
        }
        return new AdmissionHandler(json,
                newIdentityResolver(config, store, configMap, credentials, defaults, ServiceAccountFetcher.NONE),
                newPodMutator(config), new WebhookMetrics());
    }

    public static PodMutator newPodMutator(WebhookConfig config) {
        MutationSettings settings = new MutationSettings(
                config.annotationPrefix(),
                config.awsDefaultRegion().orElse(""),
                new TokenMount("aws-iam-token", config.tokenMountPath(), "token"),
                new TokenMount(
                        config.containerCredentialsTokenVolumeName(),
                        config.containerCredentialsTokenMountPath(),
                        config.containerCredentialsTokenPath()),
                config.containerCredentialsAudience(),
                config.containerCredentialsFullUri());
        return new PodMutator(settings, new SecureRandom());
    }

    @Produces
    @Singleton
    ServiceAccountStore serviceAccountStore(WebhookConfig config) {
        return newServiceAccountStore(config);
    }

    @Produces
    @Singleton
    AwsAccount awsAccount(WebhookConfig config) {
        return newAwsAccount(config);
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
        WebhookMetrics metrics = new WebhookMetrics();
        metrics.registerUsage(() -> store.size() > 0 ? 1 : 0);
        return metrics;
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
