package io.reloader.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.reloader.config.AnnotationKeys;
import io.reloader.index.WorkloadFinder;
import io.reloader.kube.ApiErrors;
import io.reloader.model.SourceRef;
import io.reloader.model.WorkloadKey;
import io.reloader.model.WorkloadKind;
import io.reloader.policy.KeyScope;
import io.reloader.policy.WaveAnnotations;
import io.reloader.spec.KindRegistry;
import io.reloader.spec.PodTemplates;
import io.reloader.spec.References;
import io.reloader.spec.WorkloadView;
import io.reloader.strategy.AppliedHashes;
import io.reloader.strategy.Markers;
import io.reloader.strategy.TemplatePatch;
import io.reloader.watch.ChangeDetector;
import io.reloader.write.WorkloadApi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Takes over workloads wave rolled ({@code --honor-wave-annotations}), as the takeover from Reloader does: a
 * workload with wave's config hash on its pod template and no marker of ours for a source it references gets our
 * record of that source's current hash, in its metadata only, so nothing rolls. wave's hash covers all sources'
 * data at once (SHA-256 of their JSON), which this controller does not keep, so the sources are taken to be what
 * wave last rolled to; from then on a change rolls as usual, and one made while no controller ran is caught up.
 */
final class WaveTakeover {
    private static final Logger LOG = LoggerFactory.getLogger("reloader");

    /** One workload to take over: the record it should carry. */
    record Adoption(WorkloadKey key, HasMetadata workload, String record, int sources) {
    }

    private WaveTakeover() {
    }

    /** Pure: which workloads to take over, and with which record. */
    static List<Adoption> adoptions(Collection<WorkloadKind> kinds, WorkloadFinder lookup,
                                    Function<SourceRef, ChangeDetector.SourceState> sources, KeyScope keyScope) {
        List<Adoption> out = new ArrayList<>();
        for (WorkloadKind kind : kinds) {
            for (HasMetadata w : lookup.all(kind)) {
                HasMetadata workload = lookup.effective(w);
                WorkloadView view = WorkloadView.of(workload);
                PodTemplateSpec template = PodTemplates.inPlace(workload);
                if (!WaveAnnotations.waveHashed(view) || template == null || template.getSpec() == null) {
                    continue;
                }
                Map<SourceRef, String> carried = Markers.carried(workload);
                AppliedHashes record = Markers.record(workload);
                int added = 0;
                for (References.Ref r : References.of(template.getSpec())) {
                    SourceRef ref = new SourceRef(r.type(), view.key().namespace(), r.name());
                    ChangeDetector.SourceState now = sources.apply(ref);
                    if (now == null || carried.containsKey(ref)) {
                        continue; // not watched or not there; or already ours (or Reloader's): catch-up decides
                    }
                    record.put(ref, keyScope.expectedHash(view, ref, now.hash(), now.keys()));
                    added++;
                }
                if (added > 0) {
                    out.add(new Adoption(view.key(), workload, record.toJson(), added));
                }
            }
        }
        return out;
    }

    /** Writes each record into its workload's metadata (one guarded patch; the template is not touched). */
    static void adopt(List<Adoption> adoptions, WorkloadApi api) {
        for (Adoption a : adoptions) {
            TemplatePatch patch = new TemplatePatch(a.workload(), PodTemplates.of(a.workload()),
                    KindRegistry.of(a.workload()).templatePath());
            patch.setMetadataAnnotation(AnnotationKeys.APPLIED_HASHES, a.record());
            try {
                api.patch(a.key(), patch.jsonPatch());
                LOG.info("Took over '{}' of type '{}' in namespace '{}' from wave: recorded the current hash of {} "
                        + "source(s), no rollout", a.key().name(), a.key().kind().kindName(), a.key().namespace(),
                        a.sources());
            } catch (RuntimeException e) {
                // Without the record the workload still rolls on its sources' next change; only catch-up misses it.
                LOG.warn("Taking over '{}' of type '{}' in namespace '{}' from wave failed: {}", a.key().name(),
                        a.key().kind().kindName(), a.key().namespace(), ApiErrors.describe(e));
            }
        }
    }
}
