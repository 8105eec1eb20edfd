package io.podidentity.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.podidentity.admission.AdmissionHandler;
import io.podidentity.config.GoDuration;
import io.podidentity.config.WebhookConfig;
import io.podidentity.health.Readiness;
import io.podidentity.identity.ConfigMapIdentities;
import io.podidentity.identity.ContainerCredentialsIdentities;
import io.podidentity.identity.IdentityDefaults;
import io.podidentity.identity.IdentityResolver;
import io.podidentity.identity.RoleArns;
import io.podidentity.identity.ServiceAccountStore;
import io.podidentity.metrics.WebhookMetrics;
import io.podidentity.mutation.MutationSettings;
import io.podidentity.mutation.PodMutator;
import io.podidentity.mutation.TokenLifetime;
import io.podidentity.mutation.TokenMount;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.security.SecureRandom;

/** Builds the domain objects from {@link WebhookConfig}; the only place they meet CDI. */
@Singleton
public class Components {

    @Produces
    @Singleton
    ServiceAccountStore serviceAccountStore(WebhookConfig config) {
        return new ServiceAccountStore(config.annotationPrefix());
    }

    @Produces
    @Singleton
    AwsAccount awsAccount(WebhookConfig config) {
        return AwsAccount.from(config);
    }

    @Produces
    @Singleton
    IdentityDefaults identityDefaults(WebhookConfig config, AwsAccount account) {
        RoleArns roleArns = config.composeRoleArn()
                ? new RoleArns(true, account.partition(), account.accountId())
                : RoleArns.plain();
        return new IdentityDefaults(
                config.tokenAudience(),
                config.stsRegionalEndpoint(),
                TokenLifetime.atLeastMinimum(config.tokenExpiration()),
                roleArns);
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
        return new IdentityResolver(
                store,
                configMap,
                containerCredentials,
                defaults,
                GoDuration.parse(config.serviceAccountLookupGracePeriod()),
                sources.fetcher());
    }

    @Produces
    @Singleton
    PodMutator podMutator(WebhookConfig config) {
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
    WebhookMetrics webhookMetrics(MeterRegistry registry, ServiceAccountStore store) {
        WebhookMetrics metrics = new WebhookMetrics(registry);
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
