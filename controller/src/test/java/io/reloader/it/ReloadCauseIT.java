package io.reloader.it;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.reloader.logging.LogrusLayout;
import io.reloader.model.WorkloadKind;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.reloader.it.Workloads.envFromConfigMaps;
import static io.reloader.it.Workloads.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The cause of a reload: changed keys and the field manager, in the Reloaded Event and the log line. */
class ReloadCauseIT extends HarnessIT {
    private static final String NS = "shop";
    private static final String RELOADER_MESSAGE = "Changes detected in 'app-config' of type 'CONFIGMAP' in namespace "
            + "'shop', Updated 'web' of type 'Deployment' in namespace 'shop'";

    private static ManagedFieldsEntry entry(String manager, Instant time, String field) {
        FieldsV1 fields = new FieldsV1();
        fields.setAdditionalProperty(field, Map.of());
        return new ManagedFieldsEntryBuilder().withManager(manager).withOperation("Update").withApiVersion("v1")
                .withFieldsType("FieldsV1").withTime(time.toString()).withFieldsV1(fields).build();
    }

    /**
     * Updates a ConfigMap as {@code writer}, sending the managedFields a real API server would record (the
     * in-process server keeps what a client sends): an older data writer, the writer, and a newer label writer.
     */
    static void updateAs(ControllerHarness h, String ns, String name, Map<String, String> data, String writer) {
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        List<ManagedFieldsEntry> fields = new ArrayList<>(List.of(entry("helm", now.minusSeconds(3600), "f:data"),
                entry(writer, now, "f:data"), entry("kubectl-label", now.plusSeconds(60), "f:metadata")));
        h.client.configMaps().inNamespace(ns).withName(name).edit(c -> new ConfigMapBuilder(c).withData(data)
                .editMetadata().withManagedFields(fields).endMetadata().build());
    }

    private Event reloadedEvent() {
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.events(NS)).anyMatch(e -> "Reloaded".equals(e.getReason())));
        return h.events(NS).stream().filter(e -> "Reloaded".equals(e.getReason())).findFirst().orElseThrow();
    }

    @Test
    void theEventAndTheLogLineNameTheChangedKeysAndTheirWriter() {
        List<String> json = captureJson();
        h.configMap(NS, "app-config", Map.of("a", "1", "b", "1", "same", "1"));
        h.create(workload(WorkloadKind.DEPLOYMENT, NS, "web", Map.of("reloader.stakater.com/auto", "true"),
                envFromConfigMaps("app-config")));
        h.start();

        updateAs(h, NS, "app-config", Map.of("a", "2", "c", "1", "same", "1"), "kubectl-edit"); // b removed

        assertThat(reloadedEvent().getMessage()).isEqualTo(RELOADER_MESSAGE + " (keys: a, b, c; by: kubectl-edit)");
        String text = "level=info msg=\"Changes detected in 'app-config' of type 'CONFIGMAP' in namespace 'shop'; "
                + "updated 'web' of type 'Deployment' in namespace 'shop'\" keys=\"[a b c]\" manager=kubectl-edit";
        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertThat(h.logLines()).anyMatch(l -> l.endsWith(text)));
        assertThat(json).anySatisfy(l -> assertThat(l).startsWith("{\"keys\":[\"a\",\"b\",\"c\"],\"level\":\"info\","
                + "\"manager\":\"kubectl-edit\",\"msg\":\"Changes detected in 'app-config' of type 'CONFIGMAP' in "
                + "namespace 'shop'; updated 'web' of type 'Deployment' in namespace 'shop'\",\"time\":\""));
        assertThat(String.join("\n", h.logLines())).as("never a value").doesNotContain("\"2\"");
    }

    @Test
    void aBurstListsTheKeysAndManagersOfEveryMergedChange() {
        h.configMap(NS, "app-config", Map.of("a", "1", "b", "1"));
        h.create(workload(WorkloadKind.DEPLOYMENT, NS, "web", Map.of("reloader.stakater.com/auto", "true"),
                envFromConfigMaps("app-config")));
        h.start("--quiet-period=1500ms", "--coalesce-window=10s");

        updateAs(h, NS, "app-config", Map.of("a", "2", "b", "1"), "kubectl-edit");
        updateAs(h, NS, "app-config", Map.of("a", "2", "b", "2"), "argocd-controller");

        assertThat(reloadedEvent().getMessage())
                .isEqualTo(RELOADER_MESSAGE + " (keys: a, b; by: argocd-controller, kubectl-edit)");
        h.awaitIdle();
        assertThat(h.patchesTo("/deployments/web")).as("one write for the burst").isEqualTo(1);
    }

    @Test
    void withoutManagedFieldsOnlyTheKeysAreNamed() {
        h.configMap(NS, "app-config", Map.of("a", "1"));
        h.create(workload(WorkloadKind.DEPLOYMENT, NS, "web", Map.of("reloader.stakater.com/auto", "true"),
                envFromConfigMaps("app-config")));
        h.start();
        h.updateConfigMap(NS, "app-config", Map.of("a", "2"));
        assertThat(reloadedEvent().getMessage()).isEqualTo(RELOADER_MESSAGE + " (keys: a)");
    }

    private AppenderBase<ILoggingEvent> jsonAppender;

    @org.junit.jupiter.api.AfterEach
    void detachJsonCapture() {
        if (jsonAppender != null) {
            ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("reloader").detachAppender(jsonAppender);
            jsonAppender.stop();
        }
    }

    /** The controller's lines as {@code --log-format=json} prints them. */
    private List<String> captureJson() {
        List<String> lines = new CopyOnWriteArrayList<>();
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        LogrusLayout layout = new LogrusLayout();
        layout.setContext(ctx);
        layout.setJson(true);
        layout.start();
        AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                lines.add(layout.doLayout(event));
            }
        };
        appender.setContext(ctx);
        appender.setName("json-capture");
        appender.start();
        ctx.getLogger("reloader").addAppender(appender);
        jsonAppender = appender;
        return lines;
    }
}
