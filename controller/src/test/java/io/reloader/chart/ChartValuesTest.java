package io.reloader.chart;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A value that is accepted and ignored is worse than an error: every value path of the chart's values.yaml is read
 * by a template, or listed in the chart README as accepted for compatibility with no effect; and every value path
 * of Reloader's chart exists here.
 */
class ChartValuesTest {
    private static final Path TEMPLATES = ChartRender.CHART.resolve("templates");
    private static final Pattern VALUES_REF = Pattern.compile("\\.Values((?:\\.[A-Za-z0-9_]+)+)");
    private static final Pattern ALIAS = Pattern.compile("\\$([A-Za-z0-9_]+) := \\.Values((?:\\.[A-Za-z0-9_]+)+)");
    private static final Pattern NO_EFFECT = Pattern.compile("^\\| `([A-Za-z0-9_.]+)` \\|", Pattern.MULTILINE);

    /** Value paths of Reloader's chart values.yaml (2.2.16), commented-out optional keys included. */
    private static final List<String> RELOADER_PATHS = List.of(
            "global.imagePullSecrets", "global.imageRegistry", "kubernetes.host", "nameOverride", "fullnameOverride",
            "namespace", "image.name", "image.repository", "image.tag", "image.digest", "image.pullPolicy",
            "reloader.autoReloadAll", "reloader.isArgoRollouts", "reloader.isOpenshift", "reloader.ignoreSecrets",
            "reloader.ignoreConfigMaps", "reloader.ignoreJobs", "reloader.ignoreCronJobs", "reloader.reloadOnCreate",
            "reloader.reloadOnDelete", "reloader.syncAfterRestart", "reloader.reloadStrategy",
            "reloader.ignoreNamespaces", "reloader.namespaceSelector", "reloader.resourceLabelSelector",
            "reloader.logFormat", "reloader.logLevel", "reloader.watchGlobally", "reloader.enableHA",
            "reloader.enablePProf", "reloader.pprofAddr", "reloader.enableCSIIntegration",
            "reloader.readOnlyRootFileSystem", "reloader.legacy.rbac", "reloader.matchLabels", "reloader.webhookUrl",
            "reloader.custom_annotations", "reloader.volumeMounts", "reloader.volumes",
            "reloader.deployment.replicas", "reloader.deployment.revisionHistoryLimit",
            "reloader.deployment.nodeSelector", "reloader.deployment.affinity", "reloader.deployment.securityContext",
            "reloader.deployment.containerSecurityContext", "reloader.deployment.tolerations",
            "reloader.deployment.topologySpreadConstraints", "reloader.deployment.annotations",
            "reloader.deployment.labels.provider", "reloader.deployment.labels.group",
            "reloader.deployment.labels.version", "reloader.deployment.env.open", "reloader.deployment.env.secret",
            "reloader.deployment.env.field", "reloader.deployment.env.existing", "reloader.deployment.livenessProbe",
            "reloader.deployment.readinessProbe", "reloader.deployment.resources", "reloader.deployment.pod.annotations",
            "reloader.deployment.priorityClassName", "reloader.deployment.imagePullSecrets",
            "reloader.deployment.hostUsers", "reloader.deployment.gomaxprocsOverride",
            "reloader.deployment.gomemlimitOverride", "reloader.deployment.automountServiceAccountToken",
            "reloader.deployment.volumeMounts", "reloader.deployment.volumes",
            "reloader.service", "reloader.rbac.enabled", "reloader.rbac.labels", "reloader.serviceAccount.create",
            "reloader.serviceAccount.labels", "reloader.serviceAccount.annotations", "reloader.serviceAccount.name",
            "reloader.serviceMonitor.enabled", "reloader.serviceMonitor.namespace", "reloader.serviceMonitor.interval",
            "reloader.serviceMonitor.scheme", "reloader.serviceMonitor.tlsConfig",
            "reloader.serviceMonitor.bearerTokenFile", "reloader.serviceMonitor.timeout",
            "reloader.serviceMonitor.labels", "reloader.serviceMonitor.annotations",
            "reloader.serviceMonitor.honorLabels", "reloader.serviceMonitor.metricRelabelings",
            "reloader.serviceMonitor.relabelings", "reloader.serviceMonitor.targetLabels",
            "reloader.podMonitor.enabled", "reloader.podMonitor.namespace", "reloader.podMonitor.interval",
            "reloader.podMonitor.scheme", "reloader.podMonitor.tlsConfig", "reloader.podMonitor.bearerTokenSecret",
            "reloader.podMonitor.timeout", "reloader.podMonitor.labels", "reloader.podMonitor.annotations",
            "reloader.podMonitor.honorLabels", "reloader.podMonitor.metricRelabelings",
            "reloader.podMonitor.relabelings", "reloader.podMonitor.podTargetLabels",
            "reloader.podDisruptionBudget.enabled", "reloader.podDisruptionBudget.minAvailable",
            "reloader.podDisruptionBudget.maxUnavailable", "reloader.netpol.enabled", "reloader.netpol.from",
            "reloader.netpol.to", "reloader.verticalPodAutoscaler.enabled",
            "reloader.verticalPodAutoscaler.recommenders", "reloader.verticalPodAutoscaler.controlledResources",
            "reloader.verticalPodAutoscaler.controlledValues", "reloader.verticalPodAutoscaler.maxAllowed",
            "reloader.verticalPodAutoscaler.minAllowed", "reloader.verticalPodAutoscaler.updatePolicy.updateMode");

    private static Set<String> valuePaths() throws IOException {
        Map<?, ?> values = new KubernetesSerialization().unmarshal(
                Files.readString(ChartRender.CHART.resolve("values.yaml")), Map.class);
        Set<String> paths = new TreeSet<>();
        walk("", values, paths);
        return paths;
    }

    /** Leaves: scalars, lists and empty maps; a non-empty map is walked into. */
    private static void walk(String prefix, Object value, Set<String> out) {
        if (value instanceof Map<?, ?> m && !m.isEmpty()) {
            m.forEach((k, v) -> walk(prefix.isEmpty() ? String.valueOf(k) : prefix + "." + k, v, out));
        } else {
            out.add(prefix);
        }
    }

    /** Every .Values path a template reads, also through variables bound to a .Values path. */
    private static Set<String> readPaths() throws IOException {
        Set<String> read = new LinkedHashSet<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(TEMPLATES)) {
            files = s.toList();
        }
        for (Path f : files) {
            String text = Files.readString(f);
            Map<String, String> aliases = new HashMap<>();
            Matcher a = ALIAS.matcher(text);
            while (a.find()) {
                aliases.put(a.group(1), a.group(2).substring(1));
            }
            // A variable bound to a map ($sm := .Values.reloader.serviceMonitor) reads it only through its keys,
            // which the alias pass below finds; the binding itself has too few segments to cover the children.
            Matcher m = VALUES_REF.matcher(text);
            while (m.find()) {
                read.add(m.group(1).substring(1));
            }
            for (Map.Entry<String, String> alias : aliases.entrySet()) {
                Matcher u = Pattern.compile("\\$" + alias.getKey() + "((?:\\.[A-Za-z0-9_]+)+)").matcher(text);
                while (u.find()) {
                    read.add(alias.getValue() + u.group(1));
                }
            }
        }
        return read;
    }

    private static boolean isRead(String path, Set<String> read) {
        for (String r : read) {
            // the path itself, a key below it (a probe's timeoutSeconds), or a whole map/list it sits in
            if (r.equals(path) || r.startsWith(path + ".") || (path.startsWith(r + ".") && r.split("\\.").length >= 3)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void everyValuePathIsReadByATemplateOrDocumentedAsWithoutEffect() throws IOException {
        Set<String> read = readPaths();
        Set<String> noEffect = new TreeSet<>();
        Matcher m = NO_EFFECT.matcher(Files.readString(ChartRender.CHART.resolve("README.md"))
                .split("## Accepted for compatibility, with no effect")[1]);
        while (m.find()) {
            noEffect.add(m.group(1));
        }
        assertThat(noEffect).as("the README's list").contains("kubernetes.host", "reloader.legacy.rbac");
        List<String> unread = new ArrayList<>();
        for (String path : valuePaths()) {
            if (!isRead(path, read) && !noEffect.contains(path)) {
                unread.add(path);
            }
        }
        assertThat(unread).as("values that no template reads and the README does not explain").isEmpty();
        assertThat(noEffect).as("documented as without effect, yet read").noneMatch(p -> isRead(p, read));
    }

    @Test
    void everyValuePathOfReloadersChartExistsHere() throws IOException {
        Set<String> ours = valuePaths();
        List<String> missing = RELOADER_PATHS.stream()
                .filter(p -> ours.stream().noneMatch(o -> o.equals(p) || o.startsWith(p + "."))).toList();
        assertThat(missing).isEmpty();
    }

    @Test
    void theCheckItselfFindsAnUnreadValue() throws IOException {
        assertThat(isRead("reloader.deployment.noSuchKey", readPaths())).isFalse();
        assertThat(isRead("reloader.deployment.livenessProbe", readPaths())).isTrue();
    }
}
