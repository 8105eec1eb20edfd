package io.podidentity.identity;

import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapList;
import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountList;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The only Kubernetes models the webhook's client reads or writes (and the kubeconfig file's,
 * {@link Config}), with the types of their fields, registered for reflection in the native image. The fabric8 model jars' own indexes and service
 * lists are hidden (application.properties), because the extension would register every model
 * class of every API group, about a thousand of them in the core group alone, each compiled into
 * the executable; {@code META-INF/services} lists these for the client's kind lookup.
 */
@RegisterForReflection(registerFullHierarchy = true, targets = {
        ServiceAccount.class, ServiceAccountList.class, ConfigMap.class, ConfigMapList.class, Status.class,
        WatchEvent.class, ListOptions.class, Config.class})
final class ClusterModels {

    private ClusterModels() {}
}
