package io.reloader.config;

import io.reloader.model.SourceType;
import io.reloader.hash.SourceHasher;
import io.reloader.model.WorkloadKind;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The validated, immutable configuration of one controller run. Built from the command line by
 * {@code io.reloader.cli.ControllerFlags}; everything downstream reads only this record.
 *
 * @param namespaces             namespaces to watch; empty means all namespaces (global mode)
 * @param globalMode             true when neither {@code --namespaces} nor {@code KUBERNETES_NAMESPACE} narrows the scope
 * @param namespacesToIgnore     honoured in global mode only
 * @param namespaceSelector      normalised label selector on Namespaces, or null; global mode only
 * @param resourceLabelSelector  normalised label selector on ConfigMaps and Secrets, or null
 * @param watchedTypes           the source types not excluded by {@code --resources-to-ignore}
 * @param coalesceWindow         spec I2: changes reaching one workload within this window make one write
 * @param workloadKinds          kinds to watch and reload (Jobs and CronJobs unless ignored; Rollouts when enabled)
 * @param ignoredWorkloadTypesError Reloader's message for an invalid {@code --ignored-workload-types}, logged on
 *                               every event (the veto is then off), or null
 * @param cronjobRespectSuspend  project extension: no Job is created for a suspended CronJob
 * @param webhookUrl             non-empty: send a webhook instead of reloading
 * @param csi                    watch SecretProviderClassPodStatuses
 * @param reloadMissedOnStart    project extension: at start, reload workloads whose marker holds an older hash
 * @param ha                     leader election settings, or null without {@code --enable-ha}
 * @param hasher                 Reloader's SHA-1, or the keyed HMAC chosen with {@code --hash-key-file}
 * @param rollout                rollout pacing and rate limits
 * @param timing                 quiet period, coalesce window and reload windows
 * @param keepStaleEnvVars       with the annotations strategy, keep STAKATER_* variables of earlier reloads
 * @param pprofAddress           with {@code --enable-pprof}: a second address serving the HTTP endpoints, else null
 */
public record Options(
        ReloadStrategyType strategy,
        boolean autoReloadAll,
        boolean reloadOnCreate,
        boolean reloadOnDelete,
        boolean syncAfterRestart,
        List<String> namespaces,
        boolean globalMode,
        Set<String> namespacesToIgnore,
        LabelSelector namespaceSelector,
        LabelSelector resourceLabelSelector,
        Set<SourceType> watchedTypes,
        AnnotationKeys keys,
        String fieldManager,
        int httpPort,
        InetSocketAddress pprofAddress,
        Duration coalesceWindow,
        int workers,
        Set<WorkloadKind> workloadKinds,
        String ignoredWorkloadTypesError,
        boolean cronjobRespectSuspend,
        String webhookUrl,
        boolean csi,
        boolean reloadMissedOnStart,
        HaOptions ha,
        SourceHasher hasher,
        RolloutOptions rollout,
        TimingOptions timing,
        boolean keepStaleEnvVars) {

    public Options {
        namespaces = List.copyOf(namespaces);
        namespacesToIgnore = Set.copyOf(namespacesToIgnore);
        watchedTypes = Set.copyOf(watchedTypes);
        workloadKinds = Set.copyOf(workloadKinds);
    }

    public Options withHttpPort(int port) {
        return new Options(strategy, autoReloadAll, reloadOnCreate, reloadOnDelete, syncAfterRestart, namespaces,
                globalMode, namespacesToIgnore, namespaceSelector, resourceLabelSelector, watchedTypes, keys,
                fieldManager, port, pprofAddress, coalesceWindow, workers, workloadKinds, ignoredWorkloadTypesError,
                cronjobRespectSuspend, webhookUrl, csi, reloadMissedOnStart, ha, hasher, rollout, timing,
                keepStaleEnvVars);
    }

    public boolean watches(SourceType type) {
        return watchedTypes.contains(type);
    }
}
