package io.reloader.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.reloader.index.WorkloadFinder;
import io.reloader.model.ChangeType;
import io.reloader.model.RolloutTarget;
import io.reloader.model.SourceChange;
import io.reloader.model.SourceRef;
import io.reloader.model.SourceType;
import io.reloader.model.WorkloadKey;
import io.reloader.model.WorkloadKind;
import io.reloader.report.ReloaderMetrics;
import io.reloader.report.RolloutReporter;
import io.reloader.testing.ManualTimers;
import io.reloader.testing.MutableClock;
import io.reloader.workload.AdapterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Following rollouts with an injected clock and timers: reported once Current, stalled, timed out, bounded. */
class RolloutFollowerTest {
    private static final KubernetesSerialization JSON = new KubernetesSerialization();
    private static final List<SourceChange> APP_CONFIG = List.of(new SourceChange(new SourceRef(SourceType.CONFIGMAP,
            "ns", "app-config"), ChangeType.UPDATED, "h", false, false));
    private static final WorkloadKey WEB = new WorkloadKey(WorkloadKind.DEPLOYMENT, "ns", "web");

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final ManualTimers timers = new ManualTimers(clock);
    private final Map<WorkloadKey, HasMetadata> cache = new HashMap<>();
    private final List<String> events = new ArrayList<>();
    private final ReloaderMetrics metrics = new ReloaderMetrics();
    private final RolloutReporter reporter = new RolloutReporter((o, type, reason, message, component) -> events.add(
            type + " " + reason + " on " + o.getKind() + " " + o.getMetadata().getName() + ": " + message), metrics,
            () -> null);
    private final RolloutFollower follower = follower(Set.copyOf(WorkloadKind.values()));

    private RolloutFollower follower(Set<WorkloadKind> watched) {
        WorkloadFinder lookup = new WorkloadFinder() {
            @Override
            public Collection<WorkloadKey> candidates(SourceRef source) {
                return List.of();
            }

            @Override
            public Optional<HasMetadata> get(WorkloadKey key) {
                return Optional.ofNullable(cache.get(key));
            }

            @Override
            public Collection<HasMetadata> all(WorkloadKind kind) {
                return cache.values().stream().filter(o -> io.reloader.spec.KindRegistry.of(o).equals(kind)).toList();
            }

            @Override
            public void close() {
            }
        };
        return new RolloutFollower(lookup, new AdapterRegistry(null, null, null, null, Clock.systemUTC()), watched,
                Duration.ofMinutes(10), reporter, timers, clock);
    }

    @AfterEach
    void close() {
        metrics.close();
    }

    private static HasMetadata deployment(long generation, String status, Map<String, String> annotations) {
        return JSON.unmarshal("{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\","
                + "\"namespace\":\"ns\",\"uid\":\"u1\",\"generation\":" + generation + ",\"annotations\":"
                + JSON.asJson(annotations) + "},\"spec\":{\"replicas\":2},\"status\":{" + status + "}}",
                io.fabric8.kubernetes.api.model.apps.Deployment.class);
    }

    private static HasMetadata deployment(long generation, String status) {
        return deployment(generation, status, Map.of());
    }

    private static String rolledOut(long observed) {
        return "\"observedGeneration\":" + observed + ",\"replicas\":2,\"updatedReplicas\":2,\"availableReplicas\":2";
    }

    private static HasMetadata job(String name, String uid, String status) {
        return JSON.unmarshal("{\"apiVersion\":\"batch/v1\",\"kind\":\"Job\",\"metadata\":{\"name\":\"" + name
                + "\",\"namespace\":\"ns\",\"uid\":\"" + uid + "\",\"generation\":1},\"spec\":{},\"status\":{" + status
                + "}}", io.fabric8.kubernetes.api.model.batch.v1.Job.class);
    }

    /** The write produced generation 2; the cache still holds generation 1, rolled out. */
    private void written(HasMetadata writtenObject) {
        cache.put(WEB, deployment(1, rolledOut(1)));
        follower.started(WEB, writtenObject, new RolloutTarget(WEB, 2, null), APP_CONFIG);
    }

    private void see(HasMetadata o) {
        cache.put(new WorkloadKey(io.reloader.spec.KindRegistry.of(o), "ns", o.getMetadata().getName()), o);
        follower.observed(o);
    }

    @Test
    void rolledOutIsReportedOnceTheWrittenGenerationIsCurrentAndNeverBefore() {
        written(deployment(2, ""));
        assertThat(events).as("the cache still shows the rollout before the write").isEmpty();
        see(deployment(2, rolledOut(1)));
        see(deployment(2, "\"observedGeneration\":2,\"replicas\":3,\"updatedReplicas\":1,\"availableReplicas\":2"));
        see(deployment(2, "\"observedGeneration\":2,\"replicas\":2,\"updatedReplicas\":2,\"availableReplicas\":1"));
        assertThat(events).isEmpty();
        assertThat(metrics.scrape()).contains("reloader_workloads_stale 1.0");
        clock.advance(Duration.ofSeconds(42));
        see(deployment(2, rolledOut(2)));
        assertThat(events).containsExactly("Normal ReloadRolledOut on Deployment web: Rollout of Deployment web "
                + "complete after reload for ConfigMap app-config");
        see(deployment(2, rolledOut(2)));
        assertThat(events).as("reported once").hasSize(1);
        assertThat(follower.sizes()).containsExactly(0, 0);
        assertThat(timers.pending()).as("its timeout is cancelled").isZero();
        assertThat(metrics.scrape()).contains("reloader_rollout_duration_seconds_count{kind=\"Deployment\"} 1",
                "reloader_rollout_duration_seconds_sum{kind=\"Deployment\"} 42.0",
                "reloader_rollout_duration_seconds_bucket{kind=\"Deployment\",le=\"30.0\"} 0",
                "reloader_rollout_duration_seconds_bucket{kind=\"Deployment\",le=\"60.0\"} 1",
                "reloader_workloads_stale 0.0",
                "reloader_rollouts_stalled 0.0");
    }

    @Test
    void progressDeadlineExceededIsAStallNamingTheReasonUntilTheRolloutBecomesCurrent() {
        written(deployment(2, ""));
        see(deployment(2, "\"observedGeneration\":2,\"updatedReplicas\":1,\"conditions\":[{\"type\":\"Progressing\","
                + "\"status\":\"False\",\"reason\":\"ProgressDeadlineExceeded\",\"message\":\"ReplicaSet \\\"web-6f\\\" "
                + "has timed out progressing.\"}]"));
        see(deployment(2, "\"observedGeneration\":2,\"updatedReplicas\":1,\"conditions\":[{\"type\":\"Progressing\","
                + "\"status\":\"False\",\"reason\":\"ProgressDeadlineExceeded\"}]"));
        assertThat(events).containsExactly("Warning ReloadRolloutStalled on Deployment web: Rollout of Deployment web "
                + "after reload for ConfigMap app-config stalled: ProgressDeadlineExceeded: ReplicaSet \"web-6f\" has "
                + "timed out progressing.");
        assertThat(metrics.scrape()).contains("reloader_rollouts_stalled 1.0", "reloader_workloads_stale 1.0");
        timers.advance(Duration.ofHours(1));
        assertThat(events).as("no second stall from the timeout").hasSize(1);
        see(deployment(2, rolledOut(2)));
        assertThat(events).last().asString().startsWith("Normal ReloadRolledOut");
        assertThat(metrics.scrape()).contains("reloader_rollouts_stalled 0.0", "reloader_workloads_stale 0.0");
    }

    @Test
    void aRolloutNotCurrentWithinTheTimeoutStalls() {
        written(deployment(2, ""));
        see(deployment(2, "\"observedGeneration\":2,\"updatedReplicas\":1"));
        timers.advance(Duration.ofMinutes(10).minusSeconds(1));
        assertThat(events).isEmpty();
        timers.advance(Duration.ofSeconds(1));
        assertThat(events).containsExactly("Warning ReloadRolloutStalled on Deployment web: Rollout of Deployment web "
                + "after reload for ConfigMap app-config stalled: RolloutWaitTimeout: not Current within 10m0s "
                + "(reloader.stakater.com/rollout-wait-timeout or --rollout-wait-timeout); last status LessUpdated: "
                + "Updated: 1/2");
        assertThat(follower.sizes()).containsExactly(1, 1);
    }

    @Test
    void theWorkloadsAnnotationSetsItsTimeout() {
        written(deployment(2, "", Map.of("reloader.stakater.com/rollout-wait-timeout", "30s")));
        timers.advance(Duration.ofSeconds(29));
        assertThat(events).isEmpty();
        timers.advance(Duration.ofSeconds(1));
        assertThat(events).singleElement().asString().contains("ReloadRolloutStalled", "not Current within 30s",
                "the new state was never observed");
    }

    @Test
    void anInvalidTimeoutAnnotationLeavesTheFlagInForce() {
        written(deployment(2, "", Map.of("reloader.stakater.com/rollout-wait-timeout", "soon")));
        timers.advance(Duration.ofMinutes(9));
        assertThat(events).isEmpty();
        timers.advance(Duration.ofMinutes(1));
        assertThat(events).singleElement().asString().contains("not Current within 10m0s");
    }

    @Test
    void aRecreatedJobIsFollowedAndTheDeletedOnesStatusDoesNotCount() {
        WorkloadKey key = new WorkloadKey(WorkloadKind.JOB, "ns", "migrate");
        HasMetadata old = job("migrate", "old", "\"conditions\":[{\"type\":\"Complete\",\"status\":\"True\"}]");
        cache.put(key, old);
        follower.started(key, old, new RolloutTarget(key, 0, "old"), APP_CONFIG);
        follower.observed(old);
        follower.deleted(old);
        assertThat(events).isEmpty();
        see(job("migrate", "new", "\"active\":1"));
        assertThat(events).isEmpty();
        see(job("migrate", "new", "\"failed\":3,\"conditions\":[{\"type\":\"Failed\",\"status\":\"True\",\"reason\":"
                + "\"BackoffLimitExceeded\",\"message\":\"Job has reached the specified backoff limit\"}]"));
        assertThat(events).containsExactly("Warning ReloadRolloutStalled on Job migrate: Rollout of Job migrate after "
                + "reload for ConfigMap app-config stalled: Job failed (BackoffLimitExceeded): Job has reached the "
                + "specified backoff limit");
        assertThat(metrics.scrape()).contains("reloader_rollouts_stalled 1.0");
    }

    @Test
    void aCronJobsReloadIsFollowedOnItsJobAndReportedOnTheCronJob() {
        WorkloadKey cronKey = new WorkloadKey(WorkloadKind.CRONJOB, "ns", "nightly");
        HasMetadata cron = JSON.unmarshal("{\"apiVersion\":\"batch/v1\",\"kind\":\"CronJob\",\"metadata\":{\"name\":"
                + "\"nightly\",\"namespace\":\"ns\",\"uid\":\"c\"},\"spec\":{\"schedule\":\"* * * * *\"}}",
                io.fabric8.kubernetes.api.model.batch.v1.CronJob.class);
        cache.put(cronKey, cron);
        WorkloadKey jobKey = new WorkloadKey(WorkloadKind.JOB, "ns", "nightly-x7k2p");
        follower.started(cronKey, cron, new RolloutTarget(jobKey, 0, null), APP_CONFIG);
        see(job("nightly-x7k2p", "j", ""));
        assertThat(events).isEmpty();
        see(job("nightly-x7k2p", "j", "\"conditions\":[{\"type\":\"Complete\",\"status\":\"True\"}]"));
        assertThat(events).containsExactly("Normal ReloadRolledOut on CronJob nightly: Rollout of CronJob nightly "
                + "(Job nightly-x7k2p) complete after reload for ConfigMap app-config");
    }

    @Test
    void onDeleteWorkloadsAreNeitherFollowedNorStalled() {
        WorkloadKey key = new WorkloadKey(WorkloadKind.STATEFULSET, "ns", "db");
        HasMetadata sts = JSON.unmarshal("{\"apiVersion\":\"apps/v1\",\"kind\":\"StatefulSet\",\"metadata\":{\"name\":"
                + "\"db\",\"namespace\":\"ns\",\"generation\":2},\"spec\":{\"updateStrategy\":{\"type\":\"OnDelete\"}},"
                + "\"status\":{\"observedGeneration\":2}}", io.fabric8.kubernetes.api.model.apps.StatefulSet.class);
        cache.put(key, sts);
        follower.started(key, sts, new RolloutTarget(key, 2, null), APP_CONFIG);
        timers.advance(Duration.ofHours(1));
        assertThat(events).isEmpty();
        assertThat(follower.sizes()).containsExactly(0, 0);
        assertThat(metrics.scrape()).contains("reloader_rollouts_stalled 0.0", "reloader_workloads_stale 0.0");
    }

    @Test
    void aDeletedWorkloadIsForgotten() {
        written(deployment(2, ""));
        follower.deleted(deployment(2, ""));
        timers.advance(Duration.ofHours(1));
        assertThat(events).isEmpty();
        assertThat(follower.sizes()).containsExactly(0, 0);
    }

    @Test
    void aNewerWriteReplacesTheFollowOfTheOlderOne() {
        written(deployment(2, ""));
        timers.advance(Duration.ofMinutes(9));
        cache.put(WEB, deployment(2, rolledOut(1)));
        follower.started(WEB, deployment(3, ""), new RolloutTarget(WEB, 3, null), APP_CONFIG);
        see(deployment(2, rolledOut(2)));
        assertThat(events).as("generation 2 is not what the newer write produced").isEmpty();
        timers.advance(Duration.ofMinutes(9));
        assertThat(events).as("the older write's timeout went with it").isEmpty();
        assertThat(follower.sizes()).containsExactly(1, 0);
        see(deployment(3, rolledOut(3)));
        assertThat(events).singleElement().asString().startsWith("Normal ReloadRolledOut");
    }

    @Test
    void aKindWithoutAnInformerIsNotFollowed() {
        RolloutFollower noJobs = follower(Set.of(WorkloadKind.DEPLOYMENT, WorkloadKind.CRONJOB));
        WorkloadKey cronKey = new WorkloadKey(WorkloadKind.CRONJOB, "ns", "nightly");
        noJobs.started(cronKey, deployment(1, ""), new RolloutTarget(new WorkloadKey(WorkloadKind.JOB, "ns", "n-1"), 0,
                null), APP_CONFIG);
        timers.advance(Duration.ofHours(1));
        assertThat(events).as("its end would never be seen, so no false stall").isEmpty();
        assertThat(noJobs.sizes()).containsExactly(0, 0);
    }

    @Test
    void atStartAnUnfinishedRolloutOfAReloadedWorkloadIsFollowedAgain() {
        Map<String, String> record = Map.of("reloader.stakater.com/applied-hashes", "{\"CONFIGMAP/app-config\":\"h\"}");
        cache.put(WEB, deployment(2, "\"observedGeneration\":2,\"updatedReplicas\":1", record));
        WorkloadKey other = new WorkloadKey(WorkloadKind.DEPLOYMENT, "ns", "never-reloaded");
        cache.put(other, JSON.unmarshal("{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":"
                + "\"never-reloaded\",\"namespace\":\"ns\",\"generation\":2}}",
                io.fabric8.kubernetes.api.model.apps.Deployment.class));
        follower.resumeSoon(() -> List.copyOf(cache.values()));
        assertThat(follower.sizes()).as("not on the caller's thread").containsExactly(0, 0);
        timers.advance(Duration.ZERO);
        assertThat(follower.sizes()).as("only the one with our record").containsExactly(1, 0);
        see(deployment(2, rolledOut(2), record));
        assertThat(events).containsExactly("Normal ReloadRolledOut on Deployment web: Rollout of Deployment web "
                + "complete after reload for ConfigMap app-config");
        assertThat(metrics.scrape()).as("its duration is not known").doesNotContain("reloader_rollout_duration_seconds_count");
    }

    @Test
    void atStartAStalledRolloutIsCountedWithoutASecondEvent() {
        Map<String, String> record = Map.of("reloader.stakater.com/applied-hashes", "{\"CONFIGMAP/app-config\":\"h\"}");
        cache.put(WEB, deployment(2, "\"observedGeneration\":2,\"conditions\":[{\"type\":\"Progressing\","
                + "\"status\":\"False\",\"reason\":\"ProgressDeadlineExceeded\"}]", record));
        follower.resume(cache.values());
        assertThat(follower.sizes()).containsExactly(1, 1);
        assertThat(events).isEmpty();
        assertThat(metrics.scrape()).contains("reloader_rollouts_stalled 1.0");
        assertThat(follower.stalledOn(APP_CONFIG.get(0).ref(), API)).as("it holds progressive reloads again")
                .isPresent();
    }

    @Test
    void stateIsBoundedByTheWorkloadsFollowed() {
        for (int i = 0; i < 100; i++) {
            written(deployment(2, ""));
        }
        assertThat(follower.sizes()).containsExactly(1, 0);
        assertThat(timers.pending()).isEqualTo(1);
    }

    private static final WorkloadKey API = new WorkloadKey(WorkloadKind.DEPLOYMENT, "ns", "api");

    private static HasMetadata api() {
        return JSON.unmarshal("{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"api\","
                + "\"namespace\":\"ns\",\"generation\":1}}", io.fabric8.kubernetes.api.model.apps.Deployment.class);
    }

    private void stallWeb() {
        written(deployment(2, ""));
        see(deployment(2, "\"observedGeneration\":2,\"conditions\":[{\"type\":\"Progressing\",\"status\":"
                + "\"False\",\"reason\":\"ProgressDeadlineExceeded\"}]"));
        events.clear();
    }

    @Test
    void progressiveReloadsHoldTheSourcesOtherWorkloadsWhileOneIsStalledAndSayWhichOnce() {
        RolloutHalts halts = new RolloutHalts(follower, reporter);
        HasMetadata api = api();
        assertThat(halts.halt(API, api, APP_CONFIG)).as("nothing stalled yet").isEmpty();
        stallWeb();
        assertThat(halts.halt(API, api, APP_CONFIG)).get().satisfies(stall -> {
            assertThat(stall.workload()).isEqualTo(WEB);
            assertThat(stall.reason()).isEqualTo("ProgressDeadlineExceeded");
        });
        assertThat(halts.halt(API, api, APP_CONFIG)).isPresent();
        assertThat(events).containsExactly("Warning ReloadHalted on Deployment api: Reload of Deployment api for "
                + "ConfigMap app-config is halted: the rollout of Deployment web after its reload for it stalled "
                + "(ProgressDeadlineExceeded); it resumes when web is Current or app-config changes again");
        assertThat(halts.halt(WEB, deployment(2, ""), APP_CONFIG)).as("the stalled workload itself may roll again")
                .isEmpty();
        List<SourceChange> otherSource = List.of(new SourceChange(new SourceRef(SourceType.SECRET, "ns", "db"),
                ChangeType.UPDATED, "h", false, false));
        assertThat(halts.halt(API, api, otherSource)).as("another source's reloads go on").isEmpty();

        see(deployment(2, rolledOut(2)));
        assertThat(halts.halt(API, api, APP_CONFIG)).as("released once the stalled one is Current").isEmpty();
        assertThat(halts.size()).isZero();
    }

    @Test
    void aNewChangeOfTheSourceRollsTheStalledWorkloadFirstThenReleasesTheOthers() {
        RolloutHalts halts = new RolloutHalts(follower, reporter);
        stallWeb();
        assertThat(halts.halt(API, api(), APP_CONFIG)).isPresent();
        cache.put(WEB, deployment(2, rolledOut(2)));
        follower.started(WEB, deployment(3, ""), new RolloutTarget(WEB, 3, null), APP_CONFIG);
        assertThat(halts.halt(API, api(), APP_CONFIG)).as("web rolls the new state; its rollout is no "
                + "longer stalled, so sequential rollouts take over").isEmpty();
    }
}
