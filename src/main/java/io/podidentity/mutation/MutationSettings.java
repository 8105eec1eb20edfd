package io.podidentity.mutation;

/**
 * Cluster-wide settings of the mutation, from flags.
 *
 * @param annotationPrefix prefix of the pod annotations read ({@code eks.amazonaws.com})
 * @param region value for {@code AWS_DEFAULT_REGION}/{@code AWS_REGION}; empty for none
 * @param webIdentity volume and mount used for web identity tokens
 * @param containerCredentials volume and mount used for container-credentials tokens
 * @param containerCredentialsAudience audience of container-credentials tokens
 * @param containerCredentialsFullUri value of {@code AWS_CONTAINER_CREDENTIALS_FULL_URI}
 */
public record MutationSettings(
        String annotationPrefix,
        String region,
        TokenMount webIdentity,
        TokenMount containerCredentials,
        String containerCredentialsAudience,
        String containerCredentialsFullUri) {
}
