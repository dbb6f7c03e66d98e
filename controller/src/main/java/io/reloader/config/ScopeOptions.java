package io.reloader.config;

import io.reloader.model.SourceType;
import io.reloader.model.WorkloadKind;

import java.util.List;
import java.util.Set;

/**
 * What is watched.
 *
 * @param namespaces                namespaces to watch; empty means all namespaces (global mode)
 * @param globalMode                true when neither {@code --namespaces} nor {@code KUBERNETES_NAMESPACE} narrows it
 * @param namespacesToIgnore        honoured in global mode only
 * @param namespaceSelector         normalised label selector on Namespaces, or null; global mode only
 * @param resourceLabelSelector     normalised label selector on ConfigMaps and Secrets, or null
 * @param watchedTypes              the source types not excluded by {@code --resources-to-ignore}
 * @param csi                       watch SecretProviderClassPodStatuses
 * @param workloadKinds             kinds to watch and reload (Jobs and CronJobs unless ignored; Rollouts when enabled)
 * @param ignoredWorkloadTypesError Reloader's message for an invalid {@code --ignored-workload-types}, logged on
 *                                  every event (the veto is then off), or null
 * @param customKinds               project extension: workload kinds of CRDs ({@code --custom-workload-types})
 * @param serviceAccounts           project extension: ServiceAccounts' identity annotations as a source
 */
public record ScopeOptions(List<String> namespaces, boolean globalMode, Set<String> namespacesToIgnore,
                           LabelSelector namespaceSelector, LabelSelector resourceLabelSelector,
                           Set<SourceType> watchedTypes, boolean csi, Set<WorkloadKind> workloadKinds,
                           String ignoredWorkloadTypesError, List<CustomKindSpec> customKinds,
                           ServiceAccountOptions serviceAccounts) {
    public ScopeOptions {
        serviceAccounts = serviceAccounts == null ? ServiceAccountOptions.off() : serviceAccounts;
        namespaces = List.copyOf(namespaces);
        customKinds = List.copyOf(customKinds);
        namespacesToIgnore = Set.copyOf(namespacesToIgnore);
        watchedTypes = Set.copyOf(watchedTypes);
        workloadKinds = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(workloadKinds));
    }

    /** The same scope with one more workload kind of {@code --custom-workload-types}' sort, unless it is there. */
    public ScopeOptions withCustomKind(CustomKindSpec kind) {
        if (customKinds.stream().anyMatch(k -> k.group().equals(kind.group()) && k.kind().equals(kind.kind()))) {
            return this;
        }
        List<CustomKindSpec> more = new java.util.ArrayList<>(customKinds);
        more.add(kind);
        return new ScopeOptions(namespaces, globalMode, namespacesToIgnore, namespaceSelector, resourceLabelSelector,
                watchedTypes, csi, workloadKinds, ignoredWorkloadTypesError, more, serviceAccounts);
    }

    public boolean watches(SourceType type) {
        return watchedTypes.contains(type);
    }
}
