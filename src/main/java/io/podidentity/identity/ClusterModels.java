package io.podidentity.identity;

import io.fabric8.kubernetes.api.model.AnyType;
import io.fabric8.kubernetes.api.model.AuthInfo;
import io.fabric8.kubernetes.api.model.AuthProviderConfig;
import io.fabric8.kubernetes.api.model.Cluster;
import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapList;
import io.fabric8.kubernetes.api.model.Context;
import io.fabric8.kubernetes.api.model.ExecConfig;
import io.fabric8.kubernetes.api.model.ExecEnvVar;
import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListMeta;
import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.NamedAuthInfo;
import io.fabric8.kubernetes.api.model.NamedCluster;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.api.model.NamedExtension;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Preferences;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountList;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.StatusDetails;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.impl.KubernetesClientImpl;
import io.fabric8.kubernetes.client.utils.OpenIDConnectionUtils;
import io.fabric8.kubernetes.internal.KubernetesDeserializer;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * What the webhook's Kubernetes client reads or writes through reflection in the native image.
 * <ul>
 *   <li>The models it reads: {@code ServiceAccount} and {@code ConfigMap}, their lists, watch events,
 *       statuses and list options, and the kubeconfig file's {@link Config}; with the model types
 *       of all their fields, and the interfaces they implement (Jackson reads their annotations).
 *       {@code ClusterModelsTest} computes that closure and fails when a client upgrade changes it.
 *   <li>What a kubeconfig's {@code exec} and {@code oidc} authentication read: {@code ExecCredential}
 *       and the OpenID Connect token answers.
 *   <li>The model's own deserializer, and the client implementation's constructor ({@link Client}).
 * </ul>
 * The list is explicit, not {@code registerFullHierarchy}: that follows methods' return types too,
 * so every model's builder ({@code edit()}) and fluent interface came with it, each method a root,
 * and through the builders' {@code Editable} calls models the webhook never sees (Node, PodSpec,
 * ...): 718 model types in all. fabric8's client is a plain library here, not Quarkus's extension,
 * which registered the whole client DSL and every model class of every API group; the model jars'
 * indexes and service lists are hidden for the same reason (application.properties), and the
 * kinds the client looks up by name are registered with its serialization ({@link #KINDS}).
 */
@RegisterForReflection(targets = {
        ServiceAccount.class, ServiceAccountList.class, ConfigMap.class, ConfigMapList.class,
        WatchEvent.class, ListOptions.class, Status.class, StatusDetails.class, StatusCause.class,
        ObjectMeta.class, ListMeta.class, ObjectReference.class, LocalObjectReference.class,
        OwnerReference.class, ManagedFieldsEntry.class, FieldsV1.class,
        HasMetadata.class, Namespaced.class, KubernetesResource.class, KubernetesResourceList.class,
        IntOrString.class, AnyType.class,
        Config.class, NamedCluster.class, Cluster.class, NamedContext.class, Context.class,
        NamedAuthInfo.class, AuthInfo.class, AuthProviderConfig.class, ExecConfig.class, ExecEnvVar.class,
        NamedExtension.class, Preferences.class,
        io.fabric8.kubernetes.client.Config.ExecCredential.class,
        io.fabric8.kubernetes.client.Config.ExecCredentialSpec.class,
        io.fabric8.kubernetes.client.Config.ExecCredentialStatus.class,
        OpenIDConnectionUtils.OpenIdConfiguration.class, OpenIDConnectionUtils.OAuthToken.class,
        KubernetesDeserializer.class})
final class ClusterModels {

    /** The kinds the client reads, registered with its serialization ({@link ServiceAccountReader}). */
    static final List<Class<? extends KubernetesResource>> KINDS = List.of(
            ServiceAccount.class, ServiceAccountList.class, ConfigMap.class, ConfigMapList.class, Status.class);

    private ClusterModels() {}

    /**
     * {@code KubernetesClientBuilder} loads the client's implementation by name and calls its
     * constructor: that constructor, and none of the DSL's methods (Quarkus's extension registered
     * them all, each resource type's operations and models with them).
     */
    @RegisterForReflection(targets = KubernetesClientImpl.class, methods = false, fields = false, ignoreNested = true)
    static final class Client {

        private Client() {}
    }
}
