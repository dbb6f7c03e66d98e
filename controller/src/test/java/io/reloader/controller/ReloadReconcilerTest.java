package io.reloader.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.reloader.config.AnnotationKeys;
import io.reloader.config.ReloadStrategyType;
import io.reloader.index.WorkloadFinder;
import io.reloader.model.ChangeType;
import io.reloader.model.SourceChange;
import io.reloader.model.SourceRef;
import io.reloader.model.SourceType;
import io.reloader.model.WorkloadKey;
import io.reloader.model.WorkloadKind;
import io.reloader.policy.ReloadPolicy;
import io.reloader.report.EventRecorder;
import io.reloader.report.ReloadReporter;
import io.reloader.report.ReloaderMetrics;
import io.reloader.strategy.ReloadStrategy;
import io.reloader.workload.CronJobAction;
import io.reloader.workload.DeploymentPauser;
import io.reloader.workload.JobAction;
import io.reloader.workload.ReloadExecutor;
import io.reloader.write.RetryPolicy;
import io.reloader.write.WorkloadApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Conflict and failure handling of one workload write, against a scripted API. */
class ReloadReconcilerTest {
    private static final WorkloadKey KEY = new WorkloadKey(WorkloadKind.DEPLOYMENT, "ns", "web");
    private static final SourceChange CHANGE = new SourceChange(new SourceRef(SourceType.CONFIGMAP, "ns", "cfg"),
            ChangeType.UPDATED, "h1", false, false);
    private final ReloaderMetrics metrics = new ReloaderMetrics();

    @AfterEach
    void close() {
        metrics.close();
    }

    private static Deployment deployment(String rv, String envValue) {
        DeploymentBuilder b = new DeploymentBuilder().withNewMetadata().withName("web").withNamespace("ns")
                .withResourceVersion(rv).addToAnnotations("reloader.stakater.com/auto", "true").endMetadata()
                .withNewSpec().withNewTemplate().withNewSpec().addNewContainer().withName("app")
                .addNewEnvFrom().withNewConfigMapRef().withName("cfg").endConfigMapRef().endEnvFrom()
                .endContainer().endSpec().endTemplate().endSpec();
        if (envValue != null) {
            b.editSpec().editTemplate().editSpec().editFirstContainer().addNewEnv()
                    .withName("STAKATER_CFG_CONFIGMAP").withValue(envValue).endEnv().endContainer().endSpec()
                    .endTemplate().endSpec();
        }
        return b.build();
    }

    /** Scripted API: each patch pops the next outcome (an exception or success); reads pop the next object. */
    private static final class ScriptedApi implements WorkloadApi {
        final Deque<RuntimeException> patchOutcomes = new ArrayDeque<>();
        final Deque<HasMetadata> reads = new ArrayDeque<>();
        final List<List<Map<String, Object>>> patches = new ArrayList<>();
        int readCount;

        @Override
        public HasMetadata patch(WorkloadKey key, List<Map<String, Object>> ops) {
            patches.add(ops);
            RuntimeException e = patchOutcomes.poll();
            if (e != null) {
                throw e;
            }
            return deployment("99", "h1");
        }

        @Override
        public Optional<HasMetadata> read(WorkloadKey key) {
            readCount++;
            return Optional.ofNullable(reads.poll());
        }

        @Override
        public HasMetadata mergePatch(WorkloadKey key, Map<String, Object> patch) {
            throw new UnsupportedOperationException("not used by these tests");
        }

        @Override
        public HasMetadata create(HasMetadata object) {
            throw new UnsupportedOperationException("not used by these tests");
        }

        @Override
        public void delete(WorkloadKey key) {
            throw new UnsupportedOperationException("not used by these tests");
        }

        @Override
        public List<HasMetadata> jobsOwnedBy(String namespace, String ownerUid, Map<String, String> labels) {
            return List.of();
        }
    }

    private ReloadReconciler reconciler(ScriptedApi api, HasMetadata cached) {
        WorkloadFinder lookup = new WorkloadFinder() {
            @Override
            public Collection<WorkloadKey> candidates(SourceRef source) {
                return List.of(KEY);
            }

            @Override
            public Optional<HasMetadata> get(WorkloadKey key) {
                return Optional.of(cached);
            }

            @Override
            public Collection<HasMetadata> all(WorkloadKind kind) {
                return List.of();
            }

            @Override
            public void close() {
            }
        };
        ReloadPlanner planner = new ReloadPlanner(new ReloadPolicy(AnnotationKeys.defaults(), false),
                ReloadStrategy.of(ReloadStrategyType.ENV_VARS));
        EventRecorder noServer = (workload, type, reason, message, component) -> { };
        ReloadReporter reporter = new ReloadReporter(noServer, metrics);
        RetryPolicy retry = new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(5));
        DeploymentPauser pauser = new DeploymentPauser(api, AnnotationKeys.defaults(), Clock.systemUTC());
        io.reloader.workload.AdapterRegistry adapters = new io.reloader.workload.AdapterRegistry(api, pauser,
                new CronJobAction(api, ReloadStrategy.of(ReloadStrategyType.ENV_VARS), false, Clock.systemUTC()),
                new JobAction(api, Duration.ofSeconds(1), retry), Clock.systemUTC());
        ReloadExecutor actions = new ReloadExecutor(AnnotationKeys.defaults(), adapters, pauser);
        RolloutControl rollouts = new RolloutControl(Duration.ZERO, false, Duration.ofMinutes(1), lookup,
                (w, g) -> true, Clock.systemUTC());
        ReloadWindowGate windows = new ReloadWindowGate(new io.reloader.policy.TimingAnnotations(
                new io.reloader.config.TimingOptions(Duration.ZERO, Duration.ZERO, null)), api, reporter, Clock.systemUTC());
        return new ReloadReconciler(lookup, planner, api, actions, rollouts, windows,
                new io.reloader.write.WriteRateLimiter(0, 1), reporter, retry, Clock.systemUTC());
    }

    private static KubernetesClientException error(int code) {
        return new KubernetesClientException(new StatusBuilder().withCode(code).withMessage("HTTP " + code).build());
    }

    @Test
    void aConflictIsRetriedAgainstAFreshReadWithItsResourceVersion() {
        ScriptedApi api = new ScriptedApi();
        api.patchOutcomes.add(error(409));
        api.reads.add(deployment("8", null));
        reconciler(api, deployment("7", null)).reconcile(KEY, List.of(CHANGE));
        assertThat(api.patches).hasSize(2);
        assertThat(api.patches.get(0).get(0)).containsEntry("value", "7");
        assertThat(api.patches.get(1).get(0)).containsEntry("value", "8");
        assertThat(metrics.scrape()).contains("reloader_reload_executed_total{success=\"true\"} 1.0");
    }

    @Test
    void aFreshReadThatAlreadyCarriesTheHashEndsWithoutAWrite() {
        ScriptedApi api = new ScriptedApi();
        api.patchOutcomes.add(error(409));
        api.reads.add(deployment("8", "h1"));
        reconciler(api, deployment("7", null)).reconcile(KEY, List.of(CHANGE));
        assertThat(api.patches).hasSize(1);
        assertThat(metrics.scrape()).contains("reloader_skipped_total{reason=\"strategy_not_updated\"} 1.0");
    }

    @Test
    void retriesAreBoundedAndTheFailureIsCounted() {
        ScriptedApi api = new ScriptedApi();
        for (int i = 0; i < 5; i++) {
            api.patchOutcomes.add(error(500));
            api.reads.add(deployment("7", null));
        }
        reconciler(api, deployment("7", null)).reconcile(KEY, List.of(CHANGE));
        assertThat(api.patches).hasSize(3);
        assertThat(metrics.scrape()).contains("reloader_reload_executed_total{success=\"false\"} 1.0");
    }

    @Test
    void aNonRetryableErrorFailsAtOnce() {
        ScriptedApi api = new ScriptedApi();
        api.patchOutcomes.add(error(422));
        reconciler(api, deployment("7", null)).reconcile(KEY, List.of(CHANGE));
        assertThat(api.patches).hasSize(1);
        assertThat(api.readCount).isZero();
    }
}
