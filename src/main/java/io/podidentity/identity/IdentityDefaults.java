package io.podidentity.identity;

/**
 * Flag values that stand when a ServiceAccount or ConfigMap entry says nothing.
 *
 * @param audience {@code --token-audience}
 * @param useRegionalSts {@code --sts-regional-endpoint}
 * @param tokenExpiration {@code --token-expiration}, already raised to the minimum
 * @param roleArns how bare role names are completed ({@code --compose-role-arn})
 */
public record IdentityDefaults(String audience, boolean useRegionalSts, long tokenExpiration, RoleArns roleArns) {}
