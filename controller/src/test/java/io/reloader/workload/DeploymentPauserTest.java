package io.reloader.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.reloader.config.AnnotationKeys;
import io.reloader.model.WorkloadKey;
import io.reloader.model.WorkloadKind;
import io.reloader.testing.MutableClock;
import io.reloader.write.WorkloadApi;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Pause periods against an injected clock: the resume deadline follows paused-at; resuming gives up in the end. */
class DeploymentPauserTest {
    private static final WorkloadKey KEY = new WorkloadKey(WorkloadKind.DEPLOYMENT, "ns", "web");
    private final AnnotationKeys keys = AnnotationKeys.defaults();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));

    private Deployment paused(String pausedAt, String period) {
        DeploymentBuilder b = new DeploymentBuilder().withNewMetadata().withName("web").withNamespace("ns")
                .withResourceVersion("5").addToAnnotations(keys.pausePeriod(), period).endMetadata()
                .withNewSpec().withPaused(true).endSpec();
        if (pausedAt != null) {
            b.editMetadata().addToAnnotations(keys.pausedAt(), pausedAt).endMetadata();
        }
        return b.build();
    }

    /** Reads return the given object; patches fail with the given code (0: succeed). */
    private static final class Api implements WorkloadApi {
        final HasMetadata object;
        final int patchCode;
        final List<List<Map<String, Object>>> patches = new java.util.concurrent.CopyOnWriteArrayList<>();

        Api(HasMetadata object, int patchCode) {
            this.object = object;
            this.patchCode = patchCode;
        }

        @Override
        public HasMetadata patch(WorkloadKey key, List<Map<String, Object>> ops) {
            patches.add(ops);
            if (patchCode != 0) {
                throw new KubernetesClientException(new StatusBuilder().withCode(patchCode).build());
            }
            return object;
        }

        @Override
        public HasMetadata mergePatch(WorkloadKey key, Map<String, Object> patch) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<HasMetadata> read(WorkloadKey key) {
            return Optional.ofNullable(object);
        }

        @Override
        public HasMetadata create(HasMetadata o) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void delete(WorkloadKey key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<HasMetadata> jobsOwnedBy(String namespace, String ownerUid, Map<String, String> labels) {
            return List.of();
        }
    }

    @Test
    void recoveryArmsTheRestOfThePeriodCountedFromPausedAt() {
        DeploymentPauser pauser = new DeploymentPauser(new Api(null, 0), keys, clock);
        try {
            pauser.recover(List.of(paused("2026-03-01T09:59:30Z", "5m")));
            assertThat(pauser.armedDelay(KEY)).isBetween(Duration.ofSeconds(268), Duration.ofSeconds(270));
        } finally {
            pauser.close();
        }
    }

    @Test
    void aPeriodThatIsOverResumesAtOnceAndAPersonsPauseIsLeftAlone() {
        Deployment pausedLongAgo = paused("2026-03-01T09:00:00Z", "5m");
        Api api = new Api(pausedLongAgo, 0);
        DeploymentPauser over = new DeploymentPauser(api, keys, clock);
        DeploymentPauser person = new DeploymentPauser(new Api(null, 0), keys, clock);
        try {
            over.recover(List.of(pausedLongAgo));
            org.awaitility.Awaitility.await().atMost(5, java.util.concurrent.TimeUnit.SECONDS)
                    .until(() -> api.patches.size() == 1);
            assertThat(api.patches.get(0)).extracting(op -> op.get("path"))
                    .containsExactly("/metadata/resourceVersion", "/metadata/annotations/"
                            + keys.pausedAt().replace("/", "~1"), "/spec/paused");
            person.recover(List.of(paused(null, "5m")));
            assertThat(person.armedDelay(KEY)).isNull();
        } finally {
            over.close();
            person.close();
        }
    }

    @Test
    void pausingWritesPausedAtFromTheClock() {
        DeploymentPauser pauser = new DeploymentPauser(new Api(null, 0), keys, clock);
        try {
            Deployment running = new DeploymentBuilder(paused(null, "90s")).editSpec().withPaused(false).endSpec().build();
            List<Map<String, Object>> ops = new ArrayList<>();
            assertThat(pauser.addPause(running, ops)).isEqualTo(Duration.ofSeconds(90));
            assertThat(ops).extracting(op -> op.get("value")).containsExactly(true, "2026-03-01T10:00:00Z");
        } finally {
            pauser.close();
        }
    }

    @Test
    void resumingGivesUpAfterTheLastAttemptAndSaysSo() {
        Api api = new Api(paused("2026-03-01T09:00:00Z", "1m"), 500);
        List<String> gaveUp = new ArrayList<>();
        DeploymentPauser pauser = new DeploymentPauser(api, keys, clock, (key, error) -> gaveUp.add(key.name() + ": " + error));
        try {
            for (int i = 1; i < DeploymentPauser.MAX_RESUME_ATTEMPTS; i++) {
                pauser.resume(KEY);
                assertThat(pauser.armedDelay(KEY)).as("re-armed after failure %d", i).isNotNull();
            }
            assertThat(gaveUp).isEmpty();
            pauser.resume(KEY);
            assertThat(gaveUp).containsExactly("web: HTTP 500");
            assertThat(pauser.armedDelay(KEY)).as("no further retry").isNull();
            assertThat(api.patches).hasSize(DeploymentPauser.MAX_RESUME_ATTEMPTS);
        } finally {
            pauser.close();
        }
    }
}
