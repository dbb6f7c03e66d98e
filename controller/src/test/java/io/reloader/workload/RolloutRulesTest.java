package io.reloader.workload;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.reloader.model.RolloutStatus;
import io.reloader.model.RolloutStatus.State;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Clock;

import static io.reloader.model.RolloutStatus.State.CURRENT;
import static io.reloader.model.RolloutStatus.State.IN_PROGRESS;
import static io.reloader.model.RolloutStatus.State.STALLED;
import static io.reloader.model.RolloutStatus.State.WAITING_FOR_POD_DELETION;
import static org.assertj.core.api.Assertions.assertThat;

/** kstatus's rules per kind, row by row, through the adapters (as the follower and explain call them). */
class RolloutRulesTest {
    private static final KubernetesSerialization JSON = new KubernetesSerialization();
    private static final AdapterRegistry ADAPTERS = new AdapterRegistry(null, null, null, null, Clock.systemUTC());

    private static RolloutStatus status(Class<? extends HasMetadata> type, String apiVersionKind, String spec,
                                        String status, long generation) {
        String[] ak = apiVersionKind.split(" ");
        String json = "{\"apiVersion\":\"" + ak[0] + "\",\"kind\":\"" + ak[1] + "\",\"metadata\":{\"name\":\"w\","
                + "\"namespace\":\"ns\",\"generation\":" + generation + "},\"spec\":{" + spec + "},\"status\":{"
                + status + "}}";
        HasMetadata o = JSON.unmarshal(json, type);
        return ADAPTERS.of(io.reloader.spec.KindRegistry.of(o)).rolloutStatus(o);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "no status yet                          | '\"replicas\":2' | ''                                                                                        | IN_PROGRESS | NoObservedGeneration",
            "generation not observed                | '\"replicas\":2' | '\"observedGeneration\":1,\"replicas\":2,\"updatedReplicas\":2,\"availableReplicas\":2' | IN_PROGRESS | LatestGenerationNotObserved",
            "one of two updated                     | '\"replicas\":2' | '\"observedGeneration\":2,\"replicas\":3,\"updatedReplicas\":1,\"availableReplicas\":2' | IN_PROGRESS | LessUpdated",
            "old pod still terminating              | '\"replicas\":2' | '\"observedGeneration\":2,\"replicas\":3,\"updatedReplicas\":2,\"availableReplicas\":2' | IN_PROGRESS | ExtraPods",
            "updated but not available              | '\"replicas\":2' | '\"observedGeneration\":2,\"replicas\":2,\"updatedReplicas\":2,\"availableReplicas\":1' | IN_PROGRESS | LessAvailable",
            "all updated and available              | '\"replicas\":2' | '\"observedGeneration\":2,\"replicas\":2,\"updatedReplicas\":2,\"availableReplicas\":2' | CURRENT     | Current",
            "replicas default to 1                  | ''               | '\"observedGeneration\":2,\"updatedReplicas\":1,\"availableReplicas\":1'                 | CURRENT     | Current",
            "a newer observed generation counts     | ''               | '\"observedGeneration\":3,\"updatedReplicas\":1,\"availableReplicas\":1'                 | CURRENT     | Current",
            "scaled to zero                         | '\"replicas\":0' | '\"observedGeneration\":2'                                                                | CURRENT     | Current",
            "progress deadline exceeded             | ''               | '\"observedGeneration\":2,\"updatedReplicas\":1,\"conditions\":[{\"type\":\"Progressing\",\"status\":\"False\",\"reason\":\"ProgressDeadlineExceeded\",\"message\":\"ReplicaSet web-1 has timed out progressing.\"}]' | STALLED | ProgressDeadlineExceeded",
            "deadline of an unobserved generation   | ''               | '\"observedGeneration\":1,\"conditions\":[{\"type\":\"Progressing\",\"status\":\"False\",\"reason\":\"ProgressDeadlineExceeded\"}]' | IN_PROGRESS | LatestGenerationNotObserved",
            "progressing normally                   | ''               | '\"observedGeneration\":2,\"updatedReplicas\":0,\"conditions\":[{\"type\":\"Progressing\",\"status\":\"True\",\"reason\":\"ReplicaSetUpdated\"}]' | IN_PROGRESS | LessUpdated",
    })
    void deployment(String row, String spec, String status, State state, String reason) {
        RolloutStatus s = status(Deployment.class, "apps/v1 Deployment", spec, status, 2);
        assertThat(s.state()).as(row).isEqualTo(state);
        assertThat(s.reason()).as(row).isEqualTo(reason);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "not observed         | '\"replicas\":2' | '\"observedGeneration\":1,\"replicas\":2,\"readyReplicas\":2,\"updatedReplicas\":2' | IN_PROGRESS | LatestGenerationNotObserved",
            "one not ready        | '\"replicas\":2' | '\"observedGeneration\":2,\"replicas\":2,\"readyReplicas\":1,\"updatedReplicas\":2' | IN_PROGRESS | LessReady",
            "one not updated      | '\"replicas\":2' | '\"observedGeneration\":2,\"replicas\":2,\"readyReplicas\":2,\"updatedReplicas\":1' | IN_PROGRESS | LessUpdated",
            "revision not current | '\"replicas\":2' | '\"observedGeneration\":2,\"replicas\":2,\"readyReplicas\":2,\"updatedReplicas\":2,\"currentRevision\":\"w-1\",\"updateRevision\":\"w-2\"' | IN_PROGRESS | RevisionMismatch",
            "rolled out           | '\"replicas\":2' | '\"observedGeneration\":2,\"replicas\":2,\"readyReplicas\":2,\"updatedReplicas\":2,\"currentRevision\":\"w-2\",\"updateRevision\":\"w-2\"' | CURRENT | Current",
            "partition rolled out | '\"replicas\":3,\"updateStrategy\":{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"partition\":2}}' | '\"observedGeneration\":2,\"replicas\":3,\"readyReplicas\":3,\"updatedReplicas\":1,\"currentRevision\":\"w-1\",\"updateRevision\":\"w-2\"' | CURRENT | Current",
            "partition rolling    | '\"replicas\":3,\"updateStrategy\":{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"partition\":1}}' | '\"observedGeneration\":2,\"replicas\":3,\"readyReplicas\":3,\"updatedReplicas\":1' | IN_PROGRESS | PartitionRollout",
            "OnDelete             | '\"updateStrategy\":{\"type\":\"OnDelete\"}' | '\"observedGeneration\":2' | WAITING_FOR_POD_DELETION | OnDelete",
    })
    void statefulSet(String row, String spec, String status, State state, String reason) {
        RolloutStatus s = status(StatefulSet.class, "apps/v1 StatefulSet", spec, status, 2);
        assertThat(s.state()).as(row).isEqualTo(state);
        assertThat(s.reason()).as(row).isEqualTo(reason);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "no observed generation | ''  | '\"desiredNumberScheduled\":3,\"updatedNumberScheduled\":3,\"numberAvailable\":3' | IN_PROGRESS | NoObservedGeneration",
            "no desired number      | ''  | '\"observedGeneration\":2'                                                         | IN_PROGRESS | NoDesiredNumber",
            "two of three updated   | ''  | '\"observedGeneration\":2,\"desiredNumberScheduled\":3,\"updatedNumberScheduled\":2,\"numberAvailable\":3' | IN_PROGRESS | LessUpdated",
            "updated, not available | ''  | '\"observedGeneration\":2,\"desiredNumberScheduled\":3,\"updatedNumberScheduled\":3,\"numberAvailable\":2' | IN_PROGRESS | LessAvailable",
            "rolled out             | ''  | '\"observedGeneration\":2,\"desiredNumberScheduled\":3,\"updatedNumberScheduled\":3,\"numberAvailable\":3' | CURRENT | Current",
            "OnDelete               | '\"updateStrategy\":{\"type\":\"OnDelete\"}' | '\"observedGeneration\":2,\"desiredNumberScheduled\":3' | WAITING_FOR_POD_DELETION | OnDelete",
    })
    void daemonSet(String row, String spec, String status, State state, String reason) {
        RolloutStatus s = status(DaemonSet.class, "apps/v1 DaemonSet", spec, status, 2);
        assertThat(s.state()).as(row).isEqualTo(state);
        assertThat(s.reason()).as(row).isEqualTo(reason);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "not started          | ''                                                                                   | IN_PROGRESS | JobNotComplete",
            "running              | '\"active\":1,\"startTime\":\"2026-01-01T00:00:00Z\"'                                 | IN_PROGRESS | JobNotComplete",
            "complete             | '\"succeeded\":1,\"conditions\":[{\"type\":\"Complete\",\"status\":\"True\"}]'        | CURRENT     | Current",
            "failed               | '\"failed\":7,\"conditions\":[{\"type\":\"Failed\",\"status\":\"True\",\"reason\":\"BackoffLimitExceeded\",\"message\":\"Job has reached the specified backoff limit\"}]' | STALLED | BackoffLimitExceeded",
            "failed without reason| '\"conditions\":[{\"type\":\"Failed\",\"status\":\"True\"}]'                          | STALLED     | JobFailed",
            "complete is False    | '\"conditions\":[{\"type\":\"Complete\",\"status\":\"False\"}]'                       | IN_PROGRESS | JobNotComplete",
    })
    void job(String row, String status, State state, String reason) {
        RolloutStatus s = status(Job.class, "batch/v1 Job", "", status, 1);
        assertThat(s.state()).as(row).isEqualTo(state);
        assertThat(s.reason()).as(row).isEqualTo(reason);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "no phase yet           | ''                                                        | IN_PROGRESS | NoPhase",
            "healthy                | '\"phase\":\"Healthy\",\"observedGeneration\":\"2\"'      | CURRENT     | Current",
            "healthy, no generation | '\"phase\":\"Healthy\"'                                   | CURRENT     | Current",
            "healthy but stale      | '\"phase\":\"Healthy\",\"observedGeneration\":\"1\"'      | IN_PROGRESS | LatestGenerationNotObserved",
            "progressing            | '\"phase\":\"Progressing\",\"observedGeneration\":2'      | IN_PROGRESS | Progressing",
            "paused                 | '\"phase\":\"Paused\",\"observedGeneration\":\"2\"'       | IN_PROGRESS | Paused",
            "degraded               | '\"phase\":\"Degraded\",\"message\":\"ProgressDeadlineExceeded\",\"observedGeneration\":\"2\"' | STALLED | Degraded",
            "hash in observedGen    | '\"phase\":\"Healthy\",\"observedGeneration\":\"7d9f8c\"' | CURRENT     | Current",
    })
    void argoRollout(String row, String status, State state, String reason) {
        RolloutStatus s = status(GenericKubernetesResource.class, "argoproj.io/v1alpha1 Rollout", "", status, 2);
        assertThat(s.state()).as(row).isEqualTo(state);
        assertThat(s.reason()).as(row).isEqualTo(reason);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "no status at all      | ''                                                                                  | CURRENT     | Current",
            "generation unobserved | '\"observedGeneration\":1'                                                          | IN_PROGRESS | LatestGenerationNotObserved",
            "ready                 | '\"observedGeneration\":2,\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]' | CURRENT     | Current",
            "not ready             | '\"observedGeneration\":2,\"conditions\":[{\"type\":\"Ready\",\"status\":\"False\",\"reason\":\"Updating\"}]' | IN_PROGRESS | Updating",
            "reconciling           | '\"conditions\":[{\"type\":\"Reconciling\",\"status\":\"True\",\"reason\":\"Rolling\"},{\"type\":\"Ready\",\"status\":\"True\"}]' | IN_PROGRESS | Rolling",
            "stalled               | '\"conditions\":[{\"type\":\"Stalled\",\"status\":\"True\",\"reason\":\"Crashing\"}]' | STALLED     | Crashing",
    })
    void customKind(String row, String status, State state, String reason) {
        AdapterRegistry adapters = new AdapterRegistry(null, null, null, null, Clock.systemUTC());
        io.reloader.model.WorkloadKind kind = new io.reloader.model.WorkloadKind("CLONESET", "apps.kruise.io",
                "v1alpha1", "CloneSet", "clonesets", "cloneSets", "/spec/template", GenericKubernetesResource.class);
        adapters.register(new CustomWorkloadAdapter(kind, null));
        HasMetadata o = JSON.unmarshal("{\"apiVersion\":\"apps.kruise.io/v1alpha1\",\"kind\":\"CloneSet\",\"metadata\":"
                + "{\"name\":\"w\",\"namespace\":\"ns\",\"generation\":2},\"spec\":{},\"status\":{" + status + "}}",
                GenericKubernetesResource.class);
        RolloutStatus s = adapters.of(kind).rolloutStatus(o);
        assertThat(s.state()).as(row).isEqualTo(state);
        assertThat(s.reason()).as(row).isEqualTo(reason);
    }

    @org.junit.jupiter.api.Test
    void countsTellHowManyPodsCarryTheTemplate() {
        RolloutStatus s = status(Deployment.class, "apps/v1 Deployment", "\"replicas\":4",
                "\"observedGeneration\":2,\"replicas\":5,\"updatedReplicas\":3,\"availableReplicas\":4", 2);
        assertThat(s.updated()).isEqualTo(3);
        assertThat(s.desired()).isEqualTo(4);
        assertThat(s.message()).isEqualTo("Updated: 3/4");
    }

    @org.junit.jupiter.api.Test
    void theDeadlineMessageNamesTheControllersReason() {
        RolloutStatus s = status(Deployment.class, "apps/v1 Deployment", "", "\"observedGeneration\":2,\"conditions\":"
                + "[{\"type\":\"Progressing\",\"status\":\"False\",\"reason\":\"ProgressDeadlineExceeded\",\"message\":"
                + "\"ReplicaSet web-1 has timed out progressing.\"}]", 2);
        assertThat(s.message()).isEqualTo("ReplicaSet web-1 has timed out progressing.");
    }
}
