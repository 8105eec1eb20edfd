/**
 * The running server: the entry point (upstream's command line), the wiring of the domain objects
 * from configuration, the identity sources' lifecycle, HTTP metrics and debug handlers.
 */
package io.podidentity.server;
