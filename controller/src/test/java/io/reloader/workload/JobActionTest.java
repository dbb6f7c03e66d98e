package io.reloader.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.reloader.model.ReloadPlan;
import io.reloader.model.WorkloadKey;
import io.reloader.model.WorkloadKind;
import io.reloader.strategy.JsonPatchOp;
import io.reloader.write.RetryPolicy;
import io.reloader.write.WorkloadApi;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A Job deleted for recreation is never lost: failures between delete and create are retried from the copy. */
class JobActionTest {
    private static final WorkloadKey KEY = new WorkloadKey(WorkloadKind.JOB, "ns", "migrate");
    private static final RetryPolicy FAST = new RetryPolicy(4, Duration.ofMillis(1), Duration.ofMillis(2));

    private static Job job() {
        return new JobBuilder().withNewMetadata().withName("migrate").withNamespace("ns").withResourceVersion("7")
                .withUid("u1").endMetadata().withNewSpec().withNewSelector().addToMatchLabels("controller-uid", "u1")
                .endSelector().withNewTemplate().withNewMetadata().addToLabels("controller-uid", "u1")
                .addToLabels("app", "migrate").endMetadata().withNewSpec().addNewContainer().withName("app")
                .endContainer().endSpec().endTemplate().endSpec().build();
    }

    private static ReloadPlan plan() {
        return new ReloadPlan(List.of(JsonPatchOp.of("add", "/spec/template/spec/containers/0/env",
                List.of(Map.of("name", "STAKATER_CFG_CONFIGMAP", "value", "h2")))), List.of(), List.of(), Map.of(),
                List.of(), Map.of(), null);
    }

    private static KubernetesClientException error(int code) {
        return new KubernetesClientException(new StatusBuilder().withCode(code).withReason("Injected")
                .withMessage("value: \"s3cr3t\"").build());
    }

    /** Scripted: reads and creates pop outcomes (an exception, or null for success / not found). */
    private static class ScriptedApi implements WorkloadApi {
        final Deque<RuntimeException> readOutcomes = new ArrayDeque<>();
        final Deque<RuntimeException> createOutcomes = new ArrayDeque<>();
        final List<String> calls = new ArrayList<>();
        final List<HasMetadata> created = new ArrayList<>();

        @Override
        public HasMetadata patch(WorkloadKey key, List<Map<String, Object>> ops) {
            throw new UnsupportedOperationException();
        }

        @Override
        public HasMetadata mergePatch(WorkloadKey key, Map<String, Object> patch) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<HasMetadata> read(WorkloadKey key) {
            calls.add("read");
            RuntimeException e = readOutcomes.poll();
            if (e != null) {
                throw e;
            }
            return Optional.empty();
        }

        @Override
        public HasMetadata create(HasMetadata object) {
            calls.add("create");
            RuntimeException e = createOutcomes.poll();
            if (e != null) {
                throw e;
            }
            created.add(object);
            return object;
        }

        @Override
        public void delete(WorkloadKey key) {
            calls.add("delete");
        }

        @Override
        public List<HasMetadata> jobsOwnedBy(String namespace, String ownerUid, Map<String, String> labels) {
            return List.of();
        }
    }

    @Test
    void aFailedReadAndFailedCreatesAfterTheDeleteAreRetriedFromTheHeldCopy() {
        ScriptedApi api = new ScriptedApi();
        api.readOutcomes.add(error(500));
        api.createOutcomes.add(error(409)); // the old Job still terminating
        api.createOutcomes.add(error(503));
        Job old = job();

        HasMetadata result = new JobAction(api, Duration.ofSeconds(5), FAST).recreate(KEY, old, plan());

        assertThat(result).isSameAs(old);
        assertThat(api.calls).containsExactly("delete", "read", "read", "create", "create", "create");
        assertThat(api.created).singleElement().satisfies(o -> {
            Job j = (Job) o;
            assertThat(j.getMetadata().getName()).isEqualTo("migrate");
            assertThat(j.getMetadata().getResourceVersion()).isNull();
            assertThat(j.getMetadata().getUid()).isNull();
            assertThat(j.getSpec().getSelector()).isNull();
            assertThat(j.getSpec().getTemplate().getMetadata().getLabels()).containsOnlyKeys("app");
            assertThat(j.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                    .singleElement().satisfies(e -> assertThat(e.getValue()).isEqualTo("h2"));
        });
    }

    @Test
    void afterTheLastAttemptItFailsWithoutTheServersMessage() {
        ScriptedApi api = new ScriptedApi();
        for (int i = 0; i < FAST.maxAttempts(); i++) {
            api.createOutcomes.add(error(422));
        }
        assertThatThrownBy(() -> new JobAction(api, Duration.ofSeconds(5), FAST).recreate(KEY, job(), plan()))
                .isInstanceOf(ActionFailedException.class)
                .hasMessage("Job deleted but not recreated: HTTP 422 Injected")
                .hasMessageNotContaining("s3cr3t");
        assertThat(api.calls).filteredOn("create"::equals).hasSize(FAST.maxAttempts());
    }

    @Test
    void aFailedDeleteLosesNothingAndCreatesNothing() {
        ScriptedApi api = new ScriptedApi() {
            @Override
            public void delete(WorkloadKey key) {
                throw error(500);
            }
        };
        assertThatThrownBy(() -> new JobAction(api, Duration.ofSeconds(5), FAST).recreate(KEY, job(), plan()))
                .isInstanceOf(KubernetesClientException.class);
        assertThat(api.created).isEmpty();
    }
}
