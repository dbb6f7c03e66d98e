package io.reloader.index;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.reloader.model.SourceRef;
import io.reloader.model.WorkloadKey;
import io.reloader.model.WorkloadKind;
import io.reloader.spec.KindRegistry;
import io.reloader.spec.KindTraits;
import io.reloader.spec.PodTemplates;

import java.util.Collection;
import java.util.Optional;

/** Finds the workloads a source change may reload, and their current state. */
public interface WorkloadFinder extends AutoCloseable {

    /** Workloads that may follow the source; the decision then picks among them. */
    Collection<WorkloadKey> candidates(SourceRef source);

    /** The last known state of a workload (from a cache or the API), or empty if it no longer exists. */
    Optional<HasMetadata> get(WorkloadKey key);

    /**
     * Every cached workload of a kind (empty when the kind is not cached). The cache's is a view that parses each
     * workload as an iteration reaches it: iterate it, do not hold on to what it gives.
     */
    Collection<HasMetadata> all(WorkloadKind kind);

    @Override
    void close();

    /**
     * The workload as the decision should see it. One that runs another workload's template (its kind's
     * {@link KindTraits#templateSource}, e.g. a Rollout with {@code spec.workloadRef}) gets that template, so
     * references and container choice work as for any workload.
     */
    default HasMetadata effective(HasMetadata workload) {
        WorkloadKey source = KindRegistry.traits(KindRegistry.of(workload)).templateSource(workload);
        if (source == null) {
            return workload;
        }
        Optional<PodTemplateSpec> template = get(source).map(PodTemplates::of);
        return template.isEmpty() ? workload : PodTemplates.withTemplate(workload, template.get());
    }
}
