package io.reloader.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobTemplateSpec;
import io.reloader.model.ReloadPlan;
import io.reloader.model.WorkloadKind;
import io.reloader.strategy.ReloadStrategy;
import io.reloader.strategy.TemplatePatch;
import io.reloader.write.WorkloadApi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A CronJob is never modified: a reload creates a Job from its job template with the strategy's change applied
 * (docs/compatibility.md#kinds-and-actions). Unlike Reloader, no second Job is created for a hash an owned Job already carries, and
 * {@code --cronjob-respect-suspend} skips suspended CronJobs.
 */
public final class CronJobAction {
    private static final Logger LOG = LoggerFactory.getLogger("reloader");
    static final String INSTANTIATE = "cronjob.kubernetes.io/instantiate";

    private final WorkloadApi api;
    private final OwnedJobs ownedJobs;
    private final ReloadStrategy strategy;
    private final boolean respectSuspend;
    private final Clock clock;

    /** Finds the Jobs a CronJob controls: from the Job cache when there is one, else with a label-selected LIST. */
    @FunctionalInterface
    public interface OwnedJobs {
        List<HasMetadata> of(String namespace, String ownerUid, Map<String, String> templateLabels);
    }

    public CronJobAction(WorkloadApi api, ReloadStrategy strategy, boolean respectSuspend, Clock clock) {
        this(api, api::jobsOwnedBy, strategy, respectSuspend, clock);
    }

    public CronJobAction(WorkloadApi api, OwnedJobs ownedJobs, ReloadStrategy strategy, boolean respectSuspend,
                         Clock clock) {
        this.api = api;
        this.ownedJobs = ownedJobs;
        this.strategy = strategy;
        this.respectSuspend = respectSuspend;
        this.clock = clock;
    }

    /**
     * How a CronJob finds the Jobs it controls: from the Job cache when Jobs are cached, else a LIST narrowed by
     * the template's labels.
     *
     * @param cached every cached workload of a kind, or null when the kind is not cached
     */
    public static OwnedJobs ownedJobs(WorkloadApi api, Function<WorkloadKind, Collection<HasMetadata>> cached) {
        return (namespace, uid, labels) -> {
            Collection<HasMetadata> jobs = cached.apply(WorkloadKind.JOB);
            return jobs == null ? api.jobsOwnedBy(namespace, uid, labels) : jobs.stream()
                    .filter(j -> namespace.equals(j.getMetadata().getNamespace()) && WorkloadApi.controlledBy(j, uid))
                    .toList();
        };
    }

    public Optional<HasMetadata> createJob(CronJob cron, ReloadPlan plan) {
        return create(cron, plan).map(job -> cron);
    }

    /** As {@link #createJob}, but returns the Job created (with the name the API server generated). */
    public Optional<HasMetadata> create(CronJob cron, ReloadPlan plan) {
        ObjectMeta meta = cron.getMetadata();
        if (respectSuspend && cron.getSpec() != null && Boolean.TRUE.equals(cron.getSpec().getSuspend())) {
            LOG.info("CronJob '{}' in namespace '{}' is suspended; no Job created (--cronjob-respect-suspend)",
                    meta.getName(), meta.getNamespace());
            return Optional.empty();
        }
        long now = clock.millis() / 1000;
        JobTemplateSpec original = cron.getSpec() == null ? null : cron.getSpec().getJobTemplate();
        Map<String, String> templateLabels = original == null || original.getMetadata() == null
                || original.getMetadata().getLabels() == null ? Map.of() : original.getMetadata().getLabels();
        for (HasMetadata owned : ownedJobs.of(meta.getNamespace(), meta.getUid(), templateLabels)) {
            if (strategy.carries(owned, plan, now)) {
                LOG.debug("Job '{}' of CronJob '{}' already carries the change; no Job created",
                        owned.getMetadata().getName(), meta.getName());
                return Optional.empty();
            }
        }
        CronJob patched = (CronJob) TemplatePatch.applyTo(cron, plan.patch());
        JobTemplateSpec template = patched.getSpec().getJobTemplate();
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(INSTANTIATE, "manual");
        if (template.getMetadata() != null && template.getMetadata().getAnnotations() != null) {
            annotations.putAll(template.getMetadata().getAnnotations());
        }
        Job job = new JobBuilder()
                .withNewMetadata()
                .withGenerateName(meta.getName() + "-")
                .withNamespace(meta.getNamespace())
                .withAnnotations(annotations)
                .withLabels(template.getMetadata() == null ? null : template.getMetadata().getLabels())
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("batch/v1").withKind("CronJob")
                        .withName(meta.getName()).withUid(meta.getUid()).withController(true)
                        .withBlockOwnerDeletion(true).build())
                .endMetadata()
                .withSpec(template.getSpec())
                .build();
        HasMetadata created = api.create(job);
        return Optional.of(created != null && created.getMetadata().getName() != null ? created : job);
    }
}
