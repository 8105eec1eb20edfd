package io.podidentity.identity;

import io.podidentity.config.GoStrconv;
import io.podidentity.mutation.TokenLifetime;
import java.util.List;

/** Reads the {@code <p>/...} annotations of a cached ServiceAccount. */
final class ServiceAccountAnnotations {

    static final String ROLE_ARN = "role-arn";
    static final String AUDIENCE = "audience";
    static final String STS_REGIONAL_ENDPOINTS = "sts-regional-endpoints";
    static final String TOKEN_EXPIRATION = "token-expiration";

    private ServiceAccountAnnotations() {}

    /** The role, composed and checked; {@code null} when the annotation is absent or empty. */
    static String roleArn(CachedServiceAccount sa, String where, IdentityDefaults defaults, List<String> warnings) {
        String raw = sa.annotation(ROLE_ARN);
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        return defaults.roleArns().resolve(raw, where + ROLE_ARN, warnings);
    }

    /** Order of preference: the {@code audience} annotation, then {@code --token-audience}. */
    static String audience(CachedServiceAccount sa, IdentityDefaults defaults) {
        String raw = sa.annotation(AUDIENCE);
        return raw == null ? defaults.audience() : raw;
    }

    /**
     * Order of preference: the {@code sts-regional-endpoints} annotation (in either direction),
     * then {@code --sts-regional-endpoint}. Values outside Go's ParseBool set are ignored.
     */
    static boolean useRegionalSts(CachedServiceAccount sa, String where, IdentityDefaults defaults, List<String> warnings) {
        String raw = sa.annotation(STS_REGIONAL_ENDPOINTS);
        if (raw == null) {
            return defaults.useRegionalSts();
        }
        Boolean parsed = GoStrconv.parseBool(raw);
        if (parsed == null) {
            warnings.add(where + STS_REGIONAL_ENDPOINTS + ": \"" + raw
                    + "\" is not a boolean (true or false); using " + defaults.useRegionalSts());
            return defaults.useRegionalSts();
        }
        return parsed;
    }

    /** Order of preference: the {@code token-expiration} annotation, then {@code --token-expiration}. */
    static long tokenExpiration(CachedServiceAccount sa, String where, IdentityDefaults defaults, List<String> warnings) {
        String raw = sa.annotation(TOKEN_EXPIRATION);
        if (raw == null) {
            return defaults.tokenExpiration();
        }
        return TokenLifetime.parse(raw, defaults.tokenExpiration(), where + TOKEN_EXPIRATION, warnings);
    }
}
