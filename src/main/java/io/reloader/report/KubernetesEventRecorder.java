package io.reloader.report;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Creates core/v1 Events on workloads. A failure to record is logged and never fails the reload. */
public final class KubernetesEventRecorder implements EventRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(KubernetesEventRecorder.class);

    private final KubernetesClient client;

    public KubernetesEventRecorder(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public void record(HasMetadata workload, String type, String reason, String message, String component) {
        Instant now = Instant.now();
        String namespace = workload.getMetadata().getNamespace();
        String ts = now.truncatedTo(ChronoUnit.SECONDS).toString();
        try {
            client.v1().events().inNamespace(namespace).resource(new EventBuilder()
                    .withNewMetadata()
                    .withName(workload.getMetadata().getName() + "." + Long.toHexString(now.toEpochMilli() * 1_000_000L
                            + (System.nanoTime() % 1_000_000L)))
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
        } catch (KubernetesClientException e) {
            LOG.warn("Failed to record {} Event on {} '{}' in namespace '{}': {}", reason, workload.getKind(),
                    workload.getMetadata().getName(), namespace, e.getMessage());
        }
    }
}
