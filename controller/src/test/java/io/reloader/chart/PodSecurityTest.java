package io.reloader.chart;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pod the chart renders meets Pod Security "restricted" by default (and with the values that change the
 * pod), and a values file written for Reloader's chart gets what it sets: its security contexts, read-only root
 * file system and resources render as it asks.
 */
class PodSecurityTest {

    private static PodSpec pod(String values) {
        return ((Deployment) ChartRender.only(ChartRender.template("reloader", "reloader", values), "Deployment"))
                .getSpec().getTemplate().getSpec();
    }

    private static Container container(String values) {
        return pod(values).getContainers().get(0);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"{}", "reloader:\n  enableHA: true\n  deployment: {replicas: 2}\n",
            "reloader:\n  watchGlobally: false\n", "reloader:\n  enableCSIIntegration: true\n  isArgoRollouts: true\n",
            "reloader:\n  deployment:\n    volumes: [{name: extra, configMap: {name: c}}]\n"
                    + "    volumeMounts: [{name: extra, mountPath: /etc/extra}]\n"})
    void theRenderedPodMeetsTheRestrictedProfile(String values) {
        assertThat(RestrictedProfile.violations(pod(values))).isEmpty();
    }

    @Test
    void theDefaultsAreHardenedWithATmpEmptyDirAndRequests() {
        PodSpec pod = pod("{}");
        Container c = pod.getContainers().get(0);
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(c.getVolumeMounts()).singleElement().satisfies(m -> {
            assertThat(m.getMountPath()).isEqualTo("/tmp/");
            assertThat(pod.getVolumes()).singleElement().satisfies(v -> {
                assertThat(v.getName()).isEqualTo(m.getName());
                assertThat(v.getEmptyDir()).isNotNull();
            });
        });
        assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(pod.getHostNetwork()).isNull();
    }

    /** The checker is only worth something if it catches each rule broken. */
    @Test
    void theCheckerCatchesEachBrokenRule() {
        assertThat(RestrictedProfile.violations(pod("reloader:\n  deployment:\n"
                + "    volumes: [{name: host, hostPath: {path: /var/run}}]\n"
                + "    volumeMounts: [{name: host, mountPath: /host}]\n")))
                .containsExactly("volume host of type hostPath");
        assertThat(RestrictedProfile.violations(pod("reloader:\n  deployment:\n    containerSecurityContext:\n"
                + "      allowPrivilegeEscalation: true\n      privileged: true\n"
                + "      capabilities: {drop: [NET_RAW], add: [SYS_ADMIN, NET_BIND_SERVICE]}\n")))
                .anyMatch(v -> v.endsWith("privileged")).anyMatch(v -> v.endsWith("allowPrivilegeEscalation is not false"))
                .anyMatch(v -> v.endsWith("capabilities.drop does not contain ALL"))
                .anyMatch(v -> v.endsWith("capability added SYS_ADMIN"))
                .noneMatch(v -> v.contains("NET_BIND_SERVICE"));
        assertThat(RestrictedProfile.violations(pod("reloader:\n  deployment:\n    securityContext:\n"
                + "      runAsNonRoot: null\n      runAsUser: 0\n      seccompProfile: {type: Unconfined}\n")))
                .contains("pod runAsUser 0", "pod seccompProfile Unconfined")
                .anyMatch(v -> v.contains("runAsNonRoot is not true"))
                .anyMatch(v -> v.contains("seccompProfile is not RuntimeDefault"));
        PodSpec host = pod("{}");
        host.setHostNetwork(true);
        host.setHostPID(true);
        host.setHostIPC(true);
        host.getContainers().get(0).getPorts().get(0).setHostPort(9090);
        assertThat(RestrictedProfile.violations(host)).contains("hostNetwork", "hostPID", "hostIPC")
                .anyMatch(v -> v.endsWith("hostPort 9090"));
    }

    // Reloader's values keys, set the old way, render what they ask for.

    @Test
    void readOnlyRootFileSystemTrueWinsOverTheContextsOwnKey() {
        Container c = container("reloader:\n  readOnlyRootFileSystem: true\n  deployment:\n"
                + "    containerSecurityContext: {readOnlyRootFilesystem: false}\n");
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    }

    @Test
    void aNullContainerContextWithReadOnlyRootRendersOnlyThat() {
        Container c = container("reloader:\n  readOnlyRootFileSystem: true\n  deployment:\n"
                + "    containerSecurityContext: null\n");
        assertThat(ChartRender.asMapOf(c.getSecurityContext())).isEqualTo(Map.of("readOnlyRootFilesystem", true));
    }

    @Test
    void readOnlyRootFileSystemFalseLeavesTheContextsOwnKeyAndNoTmpVolume() {
        PodSpec pod = pod("reloader:\n  readOnlyRootFileSystem: false\n  deployment:\n"
                + "    containerSecurityContext: {readOnlyRootFilesystem: true}\n");
        assertThat(pod.getContainers().get(0).getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(pod.getVolumes()).isEmpty();
        PodSpec writable = pod("reloader:\n  readOnlyRootFileSystem: false\n");
        assertThat(writable.getContainers().get(0).getSecurityContext().getReadOnlyRootFilesystem()).isNull();
        assertThat(writable.getVolumes()).isEmpty();
        assertThat(writable.getContainers().get(0).getVolumeMounts()).isEmpty();
    }

    @Test
    void noContainerContextAndAWritableRootRenderAnEmptyContext() {
        Container c = container("reloader:\n  readOnlyRootFileSystem: false\n  deployment:\n"
                + "    containerSecurityContext: null\n");
        assertThat(c.getSecurityContext() == null ? Map.of() : ChartRender.asMapOf(c.getSecurityContext())).isEmpty();
    }

    @Test
    void theOldKeysRenderTheValuesTheySet() {
        PodSpec pod = pod("reloader:\n  deployment:\n"
                + "    securityContext: {runAsUser: 1000, fsGroup: 2000}\n"
                + "    containerSecurityContext: {runAsUser: 1001, capabilities: {drop: [NET_RAW]}}\n"
                + "    resources:\n      requests: {cpu: 100m, memory: 128Mi}\n      limits: {cpu: '1', memory: 512Mi}\n");
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(1000L);
        assertThat(pod.getSecurityContext().getFsGroup()).isEqualTo(2000L);
        Container c = pod.getContainers().get(0);
        assertThat(c.getSecurityContext().getRunAsUser()).isEqualTo(1001L);
        assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("NET_RAW");
        assertThat(c.getResources().getRequests()).isEqualTo(Map.of("cpu", new Quantity("100m"),
                "memory", new Quantity("128Mi")));
        assertThat(c.getResources().getLimits()).isEqualTo(Map.of("cpu", new Quantity("1"),
                "memory", new Quantity("512Mi")));
    }

    @Test
    void aValuesFileCopiedFromReloadersDefaultsStaysHardened() {
        // Reloader's values.yaml has containerSecurityContext: {} and readOnlyRootFileSystem: false; a copy of it
        // asks for a writable root, and for nothing in particular in the container context.
        Container c = container("reloader:\n  readOnlyRootFileSystem: false\n  deployment:\n"
                + "    containerSecurityContext: {}\n    securityContext:\n      runAsNonRoot: true\n"
                + "      runAsUser: 65534\n      seccompProfile: {type: RuntimeDefault}\n");
        assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isNull();
        assertThat(RestrictedProfile.violations(pod("reloader:\n  readOnlyRootFileSystem: false\n"))).isEmpty();
        assertThat(List.of(c.getSecurityContext().getCapabilities().getDrop())).isNotEmpty();
    }
}
