/** Every meter of the webhook, named as upstream names them. */
package io.podidentity.metrics;
