package io.podidentity.identity;

/**
 * Asks the API server directly for a ServiceAccount the informer has not delivered yet; the
 * answer, if any, lands in the {@link ServiceAccountStore}.
 */
@FunctionalInterface
public interface ServiceAccountFetcher {

    /** Standalone mode: there is no API server to ask. */
    ServiceAccountFetcher NONE = (namespace, name) -> {};

    void request(String namespace, String name);
}
