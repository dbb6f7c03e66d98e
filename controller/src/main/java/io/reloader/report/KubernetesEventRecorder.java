package io.reloader.report;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/** Creates and counts up core/v1 Events on the API server; the calls block, so run them off informer threads. */
public final class KubernetesEventRecorder implements EventSink {
    private static final PatchContext MERGE = new PatchContext.Builder().withPatchType(PatchType.JSON_MERGE).build();

    private final KubernetesClient client;

    public KubernetesEventRecorder(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public String create(HasMetadata workload, String type, String reason, String message, String component,
                         Instant now) {
        String namespace = workload.getMetadata().getNamespace();
        String ts = timestamp(now);
        String name = workload.getMetadata().getName() + "." + Long.toHexString(now.toEpochMilli() * 1_000_000L
                + (System.nanoTime() % 1_000_000L));
        client.v1().events().inNamespace(namespace).resource(new EventBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .endMetadata()
                .withNewInvolvedObject()
                .withApiVersion(workload.getApiVersion())
                .withKind(workload.getKind())
                .withName(workload.getMetadata().getName())
                .withNamespace(namespace)
                .withUid(workload.getMetadata().getUid())
                .withResourceVersion(workload.getMetadata().getResourceVersion())
                .endInvolvedObject()
                .withType(type)
                .withReason(reason)
                .withMessage(message)
                .withNewSource().withComponent(component).endSource()
                .withFirstTimestamp(ts)
                .withLastTimestamp(ts)
                .withCount(1)
                .build()).create();
        return name;
    }

    @Override
    public boolean update(String namespace, String name, int count, String message, Instant now) {
        try {
            client.v1().events().inNamespace(namespace).withName(name).patch(MERGE, client.getKubernetesSerialization()
                    .asJson(Map.of("count", count, "message", message, "lastTimestamp", timestamp(now))));
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    private static String timestamp(Instant now) {
        return now.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
