package io.reloader.policy;

import io.reloader.model.WorkloadKind;
import io.reloader.spec.WorkloadView;

import java.util.Set;

/**
 * wave's annotations (wave-k8s/wave), honoured with {@code --honor-wave-annotations=true}: its opt-in on the
 * workload's metadata means Reloader's {@code auto}, for the kinds wave handles.
 */
public final class WaveAnnotations {
    /** On workload metadata: exactly "true" opts the workload in (wave's own check). */
    public static final String UPDATE_ON_CONFIG_CHANGE = "wave.pusher.com/update-on-config-change";
    /** On the pod template: the hash wave last rolled the workload to. */
    public static final String CONFIG_HASH = "wave.pusher.com/config-hash";
    /** The kinds wave handles, by API group and kind: a fact about wave, whatever kinds this project adds. */
    private static final Set<String> KINDS = Set.of("apps/Deployment", "apps/StatefulSet", "apps/DaemonSet");

    private WaveAnnotations() {
    }

    /** The workload is a kind wave handles and opted in to wave's reloads. */
    public static boolean meansAuto(WorkloadView workload) {
        return waveKind(workload.key().kind())
                && "true".equals(workload.metadataAnnotations().get(UPDATE_ON_CONFIG_CHANGE));
    }

    /** wave hashed this workload's sources into its pod template. */
    public static boolean waveHashed(WorkloadView workload) {
        return waveKind(workload.key().kind()) && workload.templateAnnotations().containsKey(CONFIG_HASH);
    }

    private static boolean waveKind(WorkloadKind kind) {
        return KINDS.contains(kind.group() + "/" + kind.kind());
    }
}
