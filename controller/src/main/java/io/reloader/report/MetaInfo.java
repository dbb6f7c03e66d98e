package io.reloader.report;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code reloader-meta-info} ConfigMap (docs/compatibility.md#meta-info): build info, the effective options and the deployment
 * identity, written at start-up in {@code RELOADER_NAMESPACE} with Reloader's name, label and data keys.
 */
public final class MetaInfo {
    public static final String NAME = "reloader-meta-info";
    public static final String LABEL = "reloader.stakater.com/meta-info";
    private static final Logger LOG = LoggerFactory.getLogger("reloader");

    private MetaInfo() {
    }

    /** Writes the ConfigMap; never fails the start-up (a missing permission is logged). */
    public static void write(KubernetesClient client, io.reloader.config.SelfOptions self, Map<String, Object> options) {
        String namespace = self.namespace();
        if (namespace.isEmpty()) {
            LOG.warn("RELOADER_NAMESPACE is not set, skipping meta info configmap creation");
            return;
        }
        Map<String, Object> build = new LinkedHashMap<>();
        build.put("goVersion", "java " + Runtime.version());
        String version = MetaInfo.class.getPackage().getImplementationVersion();
        build.put("releaseVersion", version == null ? "dev" : version);
        build.put("commitHash", "");
        build.put("commitTime", "");
        build.put("edition", "reloader-java");
        Map<String, Object> deployment = new LinkedHashMap<>();
        deployment.put("name", self.deploymentName());
        deployment.put("namespace", namespace);
        Map<String, String> data = new LinkedHashMap<>();
        data.put("buildInfo", Serialization.asJson(build));
        data.put("reloaderOptions", Serialization.asJson(options));
        data.put("deploymentInfo", Serialization.asJson(deployment));
        try {
            ConfigMap existing = client.configMaps().inNamespace(namespace).withName(NAME).get();
            ConfigMap desired = new ConfigMapBuilder(existing == null ? new ConfigMap() : existing)
                    .editOrNewMetadata().withName(NAME).withNamespace(namespace).addToLabels(LABEL, "reloader")
                    .endMetadata().withData(data).build();
            if (existing == null) {
                client.configMaps().inNamespace(namespace).resource(desired).create();
            } else {
                client.configMaps().inNamespace(namespace).resource(desired).update();
            }
        } catch (KubernetesClientException e) {
            LOG.error("Failed to write meta info configmap {}/{}: {}", namespace, NAME, io.reloader.kube.ApiErrors.describe(e));
        }
    }
}
