package io.reloader.policy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.reloader.model.ChangeType;
import io.reloader.model.SourceChange;
import io.reloader.model.SourceRef;
import io.reloader.model.SourceType;
import io.reloader.model.WorkloadKey;
import io.reloader.model.WorkloadKind;
import io.reloader.spec.WorkloadView;

import java.util.Map;

/** Small builders for policy tests. */
public final class Fixtures {
    private Fixtures() {
    }

    public static SourceChange cmChange(String name) {
        return change(SourceType.CONFIGMAP, name, false, false);
    }

    public static SourceChange change(SourceType type, String name, boolean ignored, boolean matched) {
        return new SourceChange(new SourceRef(type, "ns", name), ChangeType.UPDATED, "h-" + name, ignored, matched);
    }

    public static WorkloadView workload(Map<String, String> meta, Map<String, String> template, PodSpec spec) {
        return new WorkloadView(new WorkloadKey(WorkloadKind.DEPLOYMENT, "ns", "web"), meta, template, spec);
    }

    /** One container "app" with envFrom on the ConfigMap and Secret of the given names (null for none). */
    public static PodSpec envFromSpec(String configMap, String secret) {
        ContainerBuilder c = new ContainerBuilder().withName("app").withImage("i");
        if (configMap != null) {
            c.addNewEnvFrom().withNewConfigMapRef().withName(configMap).endConfigMapRef().endEnvFrom();
        }
        if (secret != null) {
            c.addNewEnvFrom().withNewSecretRef().withName(secret).endSecretRef().endEnvFrom();
        }
        return new PodSpecBuilder().withContainers(c.build()).build();
    }

    public static Container container(String name) {
        return new ContainerBuilder().withName(name).withImage("i").build();
    }

    public static Volume cmVolume(String volume, String configMap) {
        return new VolumeBuilder().withName(volume).withNewConfigMap().withName(configMap).endConfigMap().build();
    }
}
