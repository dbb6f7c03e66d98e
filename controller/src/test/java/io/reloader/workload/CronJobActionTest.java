package io.reloader.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.reloader.config.AnnotationKeys;
import io.reloader.config.ReloadStrategyType;
import io.reloader.controller.ReloadPlanner;
import io.reloader.model.ChangeType;
import io.reloader.model.ReloadPlan;
import io.reloader.model.SourceChange;
import io.reloader.model.SourceRef;
import io.reloader.model.SourceType;
import io.reloader.policy.ReloadPolicy;
import io.reloader.strategy.ReloadStrategy;
import io.reloader.write.WorkloadApi;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** A CronJob reload creates one Job from the patched template, owned by the CronJob; never a second for a hash. */
class CronJobActionTest {
    private static final ReloadStrategy STRATEGY = ReloadStrategy.of(ReloadStrategyType.ENV_VARS);
    private static final ReloadPlanner PLANNER = new ReloadPlanner(new ReloadPolicy(AnnotationKeys.defaults(), false),
            ReloadStrategy.of(ReloadStrategyType.ENV_VARS));
    private static final SourceChange CHANGE = new SourceChange(new SourceRef(SourceType.CONFIGMAP, "ns", "cfg"),
            ChangeType.UPDATED, "h2", false, false);

    private static CronJob cron(boolean suspended) {
        return new CronJobBuilder().withNewMetadata().withName("nightly").withNamespace("ns").withUid("cron-uid")
                .withResourceVersion("4").addToAnnotations("reloader.stakater.com/auto", "true").endMetadata()
                .withNewSpec().withSuspend(suspended).withSchedule("0 0 * * *").withNewJobTemplate().withNewMetadata()
                .addToLabels("team", "a").addToAnnotations("note", "x").endMetadata().withNewSpec().withNewTemplate()
                .withNewSpec().addNewContainer().withName("app").addNewEnvFrom().withNewConfigMapRef().withName("cfg")
                .endConfigMapRef().endEnvFrom().endContainer().endSpec().endTemplate().endSpec().endJobTemplate()
                .endSpec().build();
    }

    /** Records creates; owned Jobs are served from a list the test fills; every other call is a mistake. */
    private static final class Api implements WorkloadApi {
        final List<HasMetadata> created = new ArrayList<>();
        final List<Map<String, String>> selectors = new ArrayList<>();
        final List<HasMetadata> owned = new ArrayList<>();

        @Override
        public HasMetadata patch(io.reloader.model.WorkloadKey key, List<Map<String, Object>> ops) {
            throw new AssertionError("a CronJob is never patched");
        }

        @Override
        public HasMetadata mergePatch(io.reloader.model.WorkloadKey key, Map<String, Object> patch) {
            throw new AssertionError("a CronJob is never patched");
        }

        @Override
        public Optional<HasMetadata> read(io.reloader.model.WorkloadKey key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public HasMetadata create(HasMetadata object) {
            created.add(object);
            return object;
        }

        @Override
        public void delete(io.reloader.model.WorkloadKey key) {
            throw new AssertionError("nothing is deleted");
        }

        @Override
        public List<HasMetadata> jobsOwnedBy(String namespace, String ownerUid, Map<String, String> labels) {
            selectors.add(labels);
            return owned;
        }
    }

    @Test
    void aReloadCreatesAJobFromThePatchedTemplateOwnedByTheCronJob() {
        Api api = new Api();
        CronJob cron = cron(false);
        ReloadPlan plan = PLANNER.plan(cron, List.of(CHANGE), 0);
        assertThat(new CronJobAction(api, STRATEGY, false, Clock.systemUTC()).createJob(cron, plan)).contains(cron);
        assertThat(api.selectors).as("owned Jobs looked up by the template's labels").containsExactly(Map.of("team", "a"));
        Job job = (Job) api.created.get(0);
        assertThat(job.getMetadata().getGenerateName()).isEqualTo("nightly-");
        assertThat(job.getMetadata().getAnnotations()).containsEntry("cronjob.kubernetes.io/instantiate", "manual")
                .containsEntry("note", "x");
        assertThat(job.getMetadata().getLabels()).containsEntry("team", "a");
        assertThat(job.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
            assertThat(o.getUid()).isEqualTo("cron-uid");
            assertThat(o.getController()).isTrue();
        });
        assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()).singleElement()
                .satisfies(e -> assertThat(e.getValue()).isEqualTo("h2"));
    }

    @Test
    void noSecondJobForAHashAnOwnedJobCarries() {
        Api api = new Api();
        CronJob cron = cron(false);
        ReloadPlan plan = PLANNER.plan(cron, List.of(CHANGE), 0);
        new CronJobAction(api, STRATEGY, false, Clock.systemUTC()).createJob(cron, plan);
        api.owned.add(new JobBuilder((Job) api.created.get(0)).editMetadata().withName("nightly-abc").endMetadata().build());
        assertThat(new CronJobAction(api, STRATEGY, false, Clock.systemUTC()).createJob(cron, plan)).isEmpty();
        assertThat(api.created).hasSize(1);
    }

    @Test
    void aSuspendedCronJobGetsAJobUnlessAskedToRespectSuspend() {
        Api api = new Api();
        CronJob cron = cron(true);
        ReloadPlan plan = PLANNER.plan(cron, List.of(CHANGE), 0);
        assertThat(new CronJobAction(api, STRATEGY, true, Clock.systemUTC()).createJob(cron, plan)).isEmpty();
        assertThat(api.created).isEmpty();
        assertThat(new CronJobAction(api, STRATEGY, false, Clock.systemUTC()).createJob(cron, plan)).isPresent();
        assertThat(api.created).hasSize(1);
    }
}
