package io.podidentity.mutation;

/**
 * How a pod gets its credentials, as resolved from the ServiceAccount, the ConfigMap or the
 * container-credentials file. Pod-level overrides (annotations) are applied by the mutation.
 */
public sealed interface Identity {

    /** Whether {@code AWS_STS_REGIONAL_ENDPOINTS=regional} is injected. */
    boolean useRegionalSts();

    /** Token lifetime before pod-level overrides, already at least {@link TokenLifetime#MIN}. */
    long tokenExpirationSeconds();

    /**
     * IRSA: {@code sts:AssumeRoleWithWebIdentity} with a projected token.
     *
     * @param roleArn the role to assume, exactly as configured
     * @param audience the token audience
     */
    record WebIdentity(String roleArn, String audience, boolean useRegionalSts, long tokenExpirationSeconds)
            implements Identity {}

    /** EKS Pod Identity: the container credentials endpoint, authorised by a projected token. */
    record ContainerCredentials(boolean useRegionalSts, long tokenExpirationSeconds) implements Identity {}
}
