package io.podidentity.identity;

import io.podidentity.identity.Resolution.Outcome;
import io.podidentity.mutation.Identity;
import io.podidentity.mutation.TokenLifetime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Decides which identity a pod's ServiceAccount has. Order of preference:
 * <ol>
 *   <li>the container-credentials file lists the ServiceAccount (EKS Pod Identity);
 *   <li>the ServiceAccount's own {@code <p>/role-arn} annotation;
 *   <li>the ConfigMap entry {@code namespace/name}, then {@code * /name};
 *   <li>otherwise no identity. A ServiceAccount missing from the cache is waited for up to the
 *       grace period (with a direct GET queued), then looked up again.
 * </ol>
 */
public final class IdentityResolver {

    private final ServiceAccountStore serviceAccounts;
    private final ConfigMapIdentities configMap;
    private final ContainerCredentialsIdentities containerCredentials;
    private final IdentityDefaults defaults;
    private final Duration gracePeriod;
    private final ServiceAccountFetcher fetcher;

    public IdentityResolver(
            ServiceAccountStore serviceAccounts,
            ConfigMapIdentities configMap,
            ContainerCredentialsIdentities containerCredentials,
            IdentityDefaults defaults,
            Duration gracePeriod,
            ServiceAccountFetcher fetcher) {
        this.serviceAccounts = serviceAccounts;
        this.configMap = configMap;
        this.containerCredentials = containerCredentials;
        this.defaults = defaults;
        this.gracePeriod = gracePeriod;
        this.fetcher = fetcher;
    }

    public CompletionStage<Resolution> resolve(String namespace, String name) {
        if (name == null || name.isEmpty()) {
            return CompletableFuture.completedFuture(new Resolution(null, Outcome.NO_SERVICE_ACCOUNT_NAME, List.of()));
        }
        if (containerCredentials.contains(namespace, name)) {
            return CompletableFuture.completedFuture(containerCredentials(namespace, name));
        }
        CachedServiceAccount sa = serviceAccounts.get(namespace, name);
        Resolution resolution = webIdentity(namespace, name, sa);
        if (resolution.outcome() != Outcome.SERVICE_ACCOUNT_MISSING || gracePeriod.isZero() || gracePeriod.isNegative()) {
            return CompletableFuture.completedFuture(resolution);
        }
        fetcher.request(namespace, name);
        return serviceAccounts
                .awaitArrival(namespace, name, gracePeriod)
                .thenApply(arrived -> webIdentity(namespace, name, arrived));
    }

    private Resolution containerCredentials(String namespace, String name) {
        List<String> warnings = new ArrayList<>();
        CachedServiceAccount sa = serviceAccounts.get(namespace, name);
        boolean regional = false;
        long lifetime = TokenLifetime.DEFAULT;
        if (sa != null) {
            String where = where(namespace, name);
            regional = ServiceAccountAnnotations.useRegionalSts(sa, where, defaults, warnings);
            lifetime = ServiceAccountAnnotations.tokenExpiration(sa, where, defaults, warnings);
        } else {
            ConfigMapEntry entry = configMap.findExact(namespace, name);
            if (entry != null) {
                regional = entry.useRegionalSts();
                lifetime = entry.tokenExpiration();
            }
        }
        return new Resolution(
                new Identity.ContainerCredentials(regional, lifetime), Outcome.CONTAINER_CREDENTIALS, List.copyOf(warnings));
    }

    private Resolution webIdentity(String namespace, String name, CachedServiceAccount sa) {
        List<String> warnings = new ArrayList<>();
        if (sa != null) {
            String where = where(namespace, name);
            String roleArn = ServiceAccountAnnotations.roleArn(sa, where, defaults, warnings);
            if (roleArn != null) {
                Identity identity = new Identity.WebIdentity(
                        roleArn,
                        ServiceAccountAnnotations.audience(sa, defaults),
                        ServiceAccountAnnotations.useRegionalSts(sa, where, defaults, warnings),
                        ServiceAccountAnnotations.tokenExpiration(sa, where, defaults, warnings));
                return new Resolution(identity, Outcome.SERVICE_ACCOUNT_ROLE, List.copyOf(warnings));
            }
        }
        ConfigMapEntry entry = configMap.find(namespace, name);
        if (entry != null && !entry.roleArn().isEmpty()) {
            String roleArn = RoleArns.check(
                    entry.roleArn(), "ConfigMap " + ConfigMapIdentities.NAME + " entry for " + namespace + "/" + name, warnings);
            Identity identity = new Identity.WebIdentity(
                    roleArn, entry.audience(), entry.useRegionalSts(), entry.tokenExpiration());
            return new Resolution(identity, Outcome.CONFIG_MAP_ROLE, List.copyOf(warnings));
        }
        if (sa == null && entry == null) {
            warnings.add(missingWarning(namespace, name));
            return new Resolution(null, Outcome.SERVICE_ACCOUNT_MISSING, List.copyOf(warnings));
        }
        return new Resolution(null, Outcome.NO_ROLE, List.copyOf(warnings));
    }

    private String missingWarning(String namespace, String name) {
        String base = "ServiceAccount " + namespace + "/" + name + " is not known to the pod identity webhook";
        if (gracePeriod.isZero() || gracePeriod.isNegative()) {
            return base + " yet; the pod gets no AWS credentials from it"
                    + " (--service-account-lookup-grace-period makes the webhook wait for new ServiceAccounts)";
        }
        return base + " after waiting " + gracePeriod.toMillis() + " ms; the pod gets no AWS credentials from it";
    }

    private String where(String namespace, String name) {
        return "ServiceAccount " + namespace + "/" + name + " annotation " + serviceAccounts.annotationPrefix() + "/";
    }
}
