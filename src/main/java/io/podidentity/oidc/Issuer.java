package io.podidentity.oidc;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * An OIDC issuer URL as AWS IAM sees it.
 *
 * @param url exactly as given (it must equal the tokens' {@code iss})
 * @param hostPath host and path without scheme or trailing slash, e.g.
 *        {@code oidc.example.test/cluster}: the IAM provider's name, the prefix of its condition
 *        keys ({@code <hostPath>:sub}) and the tail of its ARN ({@code oidc-provider/<hostPath>})
 */
public record Issuer(String url, String hostPath) {

    /**
     * @throws IllegalArgumentException unless the URL is {@code https://} with a host
     */
    public static Issuer parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("issuer \"" + url + "\" is not a URL: " + e.getReason());
        }
        if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("issuer \"" + url + "\" must be an https:// URL (AWS IAM requires it)");
        }
        if (uri.getQuery() != null || uri.getFragment() != null) {
            throw new IllegalArgumentException("issuer \"" + url + "\" must not have a query or fragment");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
        String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
        return new Issuer(url, uri.getHost() + port + path);
    }
}
