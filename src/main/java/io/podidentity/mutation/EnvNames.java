package io.podidentity.mutation;

/** Environment variables the AWS SDKs read, as injected by this webhook. */
public final class EnvNames {

    public static final String ROLE_ARN = "AWS_ROLE_ARN";
    public static final String WEB_IDENTITY_TOKEN_FILE = "AWS_WEB_IDENTITY_TOKEN_FILE";
    public static final String CONTAINER_CREDENTIALS_FULL_URI = "AWS_CONTAINER_CREDENTIALS_FULL_URI";
    public static final String CONTAINER_AUTHORIZATION_TOKEN_FILE = "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE";
    public static final String REGION = "AWS_REGION";
    public static final String DEFAULT_REGION = "AWS_DEFAULT_REGION";
    public static final String STS_REGIONAL_ENDPOINTS = "AWS_STS_REGIONAL_ENDPOINTS";

    private EnvNames() {}
}
