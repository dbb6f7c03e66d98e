package io.reloader.cli;

import io.reloader.config.AnnotationKeys;
import io.reloader.config.GoBool;

import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code reloaderOptions} of the meta-info ConfigMap: the flags with Reloader's field names and types. */
final class MetaInfoOptions {
    private MetaInfoOptions() {
    }

    static Map<String, Object> of(ControllerFlags f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("autoReloadAll", f.autoReloadAll);
        m.put("configmapUpdateOnChangeAnnotation", f.keyFlags.configmapAnnotation);
        m.put("secretUpdateOnChangeAnnotation", f.keyFlags.secretAnnotation);
        m.put("secretProviderClassUpdateOnChangeAnnotation", AnnotationKeys.SPC_RELOAD);
        m.put("reloaderAutoAnnotation", f.keyFlags.autoAnnotation);
        m.put("ignoreResourceAnnotation", f.keyFlags.ignoreAnnotation);
        m.put("configmapReloaderAutoAnnotation", f.keyFlags.configmapAutoAnnotation);
        m.put("secretReloaderAutoAnnotation", f.keyFlags.secretAutoAnnotation);
        m.put("secretProviderClassReloaderAutoAnnotation", AnnotationKeys.SPC_AUTO);
        m.put("configmapExcludeReloaderAnnotation", AnnotationKeys.CONFIGMAP_EXCLUDE);
        m.put("secretExcludeReloaderAnnotation", AnnotationKeys.SECRET_EXCLUDE);
        m.put("secretProviderClassExcludeReloaderAnnotation", AnnotationKeys.SPC_EXCLUDE);
        m.put("autoSearchAnnotation", f.keyFlags.autoSearchAnnotation);
        m.put("searchMatchAnnotation", f.keyFlags.searchMatchAnnotation);
        m.put("rolloutStrategyAnnotation", AnnotationKeys.ROLLOUT_STRATEGY);
        m.put("pauseDeploymentAnnotation", f.keyFlags.pauseDeploymentAnnotation);
        m.put("pauseDeploymentTimeAnnotation", f.keyFlags.pauseDeploymentTimeAnnotation);
        m.put("logFormat", f.logFormat);
        m.put("logLevel", f.logLevel);
        m.put("isArgoRollouts", GoBool.isTrue(f.isArgoRollouts));
        m.put("reloadStrategy", f.reloadStrategy);
        m.put("reloadOnCreate", GoBool.isTrue(f.reloadOnCreate));
        m.put("reloadOnDelete", GoBool.isTrue(f.reloadOnDelete));
        m.put("syncAfterRestart", f.syncAfterRestart);
        m.put("enableHA", f.enableHa);
        m.put("enableCSIIntegration", f.enableCsi);
        m.put("webhookUrl", io.reloader.report.Redaction.url(f.webhookUrl));
        m.put("resourcesToIgnore", GoFlagArgs.csvAll(f.resourcesToIgnore));
        m.put("workloadTypesToIgnore", GoFlagArgs.csvAll(f.ignoredWorkloadTypes));
        m.put("namespaceSelectors", GoFlagArgs.csvAll(f.namespaceSelector));
        m.put("resourceSelectors", GoFlagArgs.csvAll(f.resourceLabelSelector));
        m.put("namespacesToIgnore", GoFlagArgs.csvAll(f.namespacesToIgnore));
        m.put("enablePProf", f.enablePprof);
        m.put("pprofAddr", f.pprofAddr);
        return m;
    }
}
