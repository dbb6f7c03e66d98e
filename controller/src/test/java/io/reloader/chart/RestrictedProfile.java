package io.reloader.chart;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The Pod Security Standards' "restricted" profile (which includes "baseline"), as the checks of the Kubernetes
 * documentation's table: a pod spec in, the violated rules out.
 */
final class RestrictedProfile {
    /** Restricted: the only volume types allowed. */
    private static final Set<String> VOLUME_TYPES = Set.of("configMap", "csi", "downwardAPI", "emptyDir", "ephemeral",
            "persistentVolumeClaim", "projected", "secret");
    private static final Set<String> SAFE_SYSCTLS = Set.of("kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range",
            "net.ipv4.ip_unprivileged_port_start", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range",
            "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
            "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes");
    private static final Set<String> SELINUX_TYPES = Set.of("", "container_t", "container_init_t", "container_kvm_t",
            "container_engine_t");

    private RestrictedProfile() {
    }

    static List<String> violations(PodSpec pod) {
        List<String> out = new ArrayList<>();
        PodSecurityContext psc = pod.getSecurityContext() == null ? new PodSecurityContext() : pod.getSecurityContext();
        // baseline: host namespaces
        if (Boolean.TRUE.equals(pod.getHostNetwork())) {
            out.add("hostNetwork");
        }
        if (Boolean.TRUE.equals(pod.getHostPID())) {
            out.add("hostPID");
        }
        if (Boolean.TRUE.equals(pod.getHostIPC())) {
            out.add("hostIPC");
        }
        if (psc.getWindowsOptions() != null && Boolean.TRUE.equals(psc.getWindowsOptions().getHostProcess())) {
            out.add("pod windowsOptions.hostProcess");
        }
        if (psc.getSysctls() != null) {
            psc.getSysctls().stream().filter(s -> !SAFE_SYSCTLS.contains(s.getName()))
                    .forEach(s -> out.add("unsafe sysctl " + s.getName()));
        }
        if (psc.getSeLinuxOptions() != null) {
            seLinux(psc.getSeLinuxOptions(), "pod", out);
        }
        // restricted: volume types (hostPath among the forbidden ones)
        for (Volume v : pod.getVolumes() == null ? List.<Volume>of() : pod.getVolumes()) {
            Map<String, Object> fields = ChartRender.asMapOf(v);
            fields.keySet().stream().filter(k -> !k.equals("name") && !VOLUME_TYPES.contains(k))
                    .forEach(k -> out.add("volume " + v.getName() + " of type " + k));
        }
        if (psc.getRunAsUser() != null && psc.getRunAsUser() == 0L) {
            out.add("pod runAsUser 0");
        }
        boolean podNonRoot = Boolean.TRUE.equals(psc.getRunAsNonRoot());
        boolean podSeccomp = allowedSeccomp(psc.getSeccompProfile());
        if (psc.getSeccompProfile() != null && !podSeccomp) {
            out.add("pod seccompProfile " + psc.getSeccompProfile().getType());
        }
        for (Container c : containers(pod)) {
            String n = "container " + c.getName() + ": ";
            SecurityContext sc = c.getSecurityContext() == null ? new SecurityContext() : c.getSecurityContext();
            if (Boolean.TRUE.equals(sc.getPrivileged())) {
                out.add(n + "privileged");
            }
            if (sc.getWindowsOptions() != null && Boolean.TRUE.equals(sc.getWindowsOptions().getHostProcess())) {
                out.add(n + "windowsOptions.hostProcess");
            }
            if (sc.getProcMount() != null && !"Default".equals(sc.getProcMount())) {
                out.add(n + "procMount " + sc.getProcMount());
            }
            if (sc.getSeLinuxOptions() != null) {
                seLinux(sc.getSeLinuxOptions(), n, out);
            }
            if (sc.getAppArmorProfile() != null && !Set.of("RuntimeDefault", "Localhost")
                    .contains(sc.getAppArmorProfile().getType())) {
                out.add(n + "appArmorProfile " + sc.getAppArmorProfile().getType());
            }
            for (ContainerPort p : c.getPorts() == null ? List.<ContainerPort>of() : c.getPorts()) {
                if (p.getHostPort() != null && p.getHostPort() != 0) {
                    out.add(n + "hostPort " + p.getHostPort());
                }
            }
            if (!Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
                out.add(n + "allowPrivilegeEscalation is not false");
            }
            if (Boolean.FALSE.equals(sc.getRunAsNonRoot()) || (!podNonRoot && !Boolean.TRUE.equals(sc.getRunAsNonRoot()))) {
                out.add(n + "runAsNonRoot is not true (neither on the pod nor on the container)");
            }
            if (sc.getRunAsUser() != null && sc.getRunAsUser() == 0L) {
                out.add(n + "runAsUser 0");
            }
            if (sc.getSeccompProfile() != null ? !allowedSeccomp(sc.getSeccompProfile()) : !podSeccomp) {
                out.add(n + "seccompProfile is not RuntimeDefault or Localhost");
            }
            Capabilities caps = sc.getCapabilities();
            if (caps == null || caps.getDrop() == null || !caps.getDrop().contains("ALL")) {
                out.add(n + "capabilities.drop does not contain ALL");
            }
            if (caps != null && caps.getAdd() != null) {
                caps.getAdd().stream().filter(a -> !a.equals("NET_BIND_SERVICE"))
                        .forEach(a -> out.add(n + "capability added " + a));
            }
        }
        return out;
    }

    private static List<Container> containers(PodSpec pod) {
        List<Container> all = new ArrayList<>();
        Stream.of(pod.getContainers(), pod.getInitContainers()).filter(l -> l != null).forEach(all::addAll);
        if (pod.getEphemeralContainers() != null) {
            pod.getEphemeralContainers().forEach(e -> all.add(ChartRender.convert(e, Container.class)));
        }
        return all;
    }

    private static boolean allowedSeccomp(SeccompProfile p) {
        return p != null && ("RuntimeDefault".equals(p.getType()) || "Localhost".equals(p.getType()));
    }

    private static void seLinux(io.fabric8.kubernetes.api.model.SELinuxOptions o, String where, List<String> out) {
        if (o.getType() != null && !SELINUX_TYPES.contains(o.getType())) {
            out.add(where + " seLinuxOptions.type " + o.getType());
        }
        if (o.getUser() != null || o.getRole() != null) {
            out.add(where + " seLinuxOptions user/role");
        }
    }
}
