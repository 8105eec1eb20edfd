package io.podidentity.mutation;

import java.util.List;
import java.util.Map;

/**
 * The parts of a pod the mutation reads. Adapters build it from whatever representation they
 * hold (a JSON tree for admission requests); nothing else of the pod is needed, because patches
 * only add.
 *
 * @param name {@code metadata.name} or {@code null}
 * @param generateName {@code metadata.generateName} or {@code null}
 * @param labels {@code metadata.labels}, or {@code null} when the pod has no labels object
 * @param annotations {@code metadata.annotations}, empty when absent
 * @param nodeSelector {@code spec.nodeSelector}, empty when absent
 * @param osName {@code spec.os.name} or {@code null}
 * @param volumeNames names of {@code spec.volumes}, or {@code null} when the array is absent
 * @param initContainers {@code spec.initContainers} in order (empty when absent)
 * @param containers {@code spec.containers} in order
 */
public record PodView(
        String name,
        String generateName,
        Map<String, String> labels,
        Map<String, String> annotations,
        Map<String, String> nodeSelector,
        String osName,
        List<String> volumeNames,
        List<ContainerView> initContainers,
        List<ContainerView> containers) {

    /** The name to show in logs: the name, else the generateName prefix. */
    public String displayName() {
        if (name != null && !name.isEmpty()) {
            return name;
        }
        return generateName == null ? "" : generateName;
    }

    boolean runsOnWindows() {
        return "windows".equals(nodeSelector.get("kubernetes.io/os"))
                || "windows".equals(nodeSelector.get("beta.kubernetes.io/os"))
                || "windows".equals(osName);
    }

    boolean hasVolume(String volumeName) {
        return volumeNames != null && volumeNames.contains(volumeName);
    }
}
