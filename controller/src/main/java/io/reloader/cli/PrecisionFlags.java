package io.reloader.cli;

import io.reloader.config.CustomKindSpec;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** Flags that say which workloads exist beyond Reloader's kinds (project extensions), mixed into the controller's. */
final class PrecisionFlags {
    @Option(names = "--custom-workload-types", paramLabel = "GROUP/VERSION/KIND[:PATH]", description = "Also reload "
            + "these workload kinds of CRDs, e.g. apps.kruise.io/v1alpha1/CloneSet; PATH is where their pod template "
            + "is (default spec.template). Comma-separated, may repeat")
    List<String> customWorkloadTypes = new ArrayList<>();

    @Option(names = "--referenced-keys-only", description = "A workload that reads only some keys of a ConfigMap or "
            + "Secret (valueFrom keys, volume items, subPath) reloads only when one of those keys changes. Per "
            + "workload: annotation reloader.stakater.com/referenced-keys-only")
    boolean referencedKeysOnly;

    List<CustomKindSpec> customKinds() {
        List<CustomKindSpec> kinds = new ArrayList<>();
        for (String entry : GoFlagArgs.csvAll(customWorkloadTypes)) {
            if (entry.isBlank()) {
                continue;
            }
            try {
                CustomKindSpec spec = CustomKindSpec.parse(entry);
                if (kinds.stream().noneMatch(k -> k.group().equals(spec.group()) && k.kind().equals(spec.kind()))) {
                    kinds.add(spec);
                }
            } catch (IllegalArgumentException e) {
                throw new FlagException("invalid --custom-workload-types: " + e.getMessage());
            }
        }
        return kinds;
    }
}
