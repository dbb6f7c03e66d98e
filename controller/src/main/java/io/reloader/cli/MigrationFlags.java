package io.reloader.cli;

import io.reloader.config.AnnotationKeys;
import io.reloader.config.CustomKindSpec;
import io.reloader.config.HttpOptions;
import picocli.CommandLine.Option;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;

/**
 * Flags for moving over from other reloaders, mixed into the controller's flags: Reloader v2's flags for where it
 * serves HTTP and which platform it runs on, and wave's annotation. v1's defaults stay unless one of them is given:
 * {@code --http-port} keeps serving everything on one port, and DeploymentConfigs are not reloaded (as in Reloader
 * v1 since 1.4.5).
 */
final class MigrationFlags {
    /** OpenShift's DeploymentConfig, reloaded as a workload kind with {@code --is-openshift}. */
    static final CustomKindSpec DEPLOYMENT_CONFIG = new CustomKindSpec("apps.openshift.io", "v1", "DeploymentConfig",
            CustomKindSpec.DEFAULT_TEMPLATE_PATH);

    @Option(names = "--metrics-addr", paramLabel = "ADDR", description = "Reloader v2: serve /metrics on this "
            + "[host]:port (v2's default :9090; 0 turns it off). Given this or --health-addr, metrics and probes are "
            + "served separately and --http-port is not used; without either, --http-port serves everything (v1)")
    String metricsAddr;

    @Option(names = "--health-addr", paramLabel = "ADDR", description = "Reloader v2: serve the probes /live, "
            + "/ready, /healthz and /readyz on this [host]:port (v2's default :8080; 0 turns it off); see --metrics-addr")
    String healthAddr;

    @Option(names = "--is-openshift", paramLabel = "MODE", description = "Reloader v2: true, false or auto (also "
            + "empty): reload OpenShift DeploymentConfigs; auto does when the cluster serves apps.openshift.io. "
            + "Not given: as Reloader v1, DeploymentConfigs are not reloaded")
    String isOpenshift;

    @Option(names = "--honor-wave-annotations", description = "wave's wave.pusher.com/update-on-config-change: "
            + "\"true\" on a Deployment, StatefulSet or DaemonSet means reloader.stakater.com/auto: \"true\"; a "
            + "workload wave hashed (wave.pusher.com/config-hash) is taken over without a rollout")
    boolean honorWaveAnnotations;

    @Option(names = "--configmap-exclude-annotation", paramLabel = "KEY", defaultValue = AnnotationKeys.CONFIGMAP_EXCLUDE,
            description = "Reloader v2: the annotation that excludes named ConfigMaps (default: ${DEFAULT-VALUE})")
    String configmapExcludeAnnotation;
    @Option(names = "--secret-exclude-annotation", paramLabel = "KEY", defaultValue = AnnotationKeys.SECRET_EXCLUDE,
            description = "Reloader v2: the annotation that excludes named Secrets (default: ${DEFAULT-VALUE})")
    String secretExcludeAnnotation;
    @Option(names = "--secretproviderclass-annotation", paramLabel = "KEY", defaultValue = AnnotationKeys.SPC_RELOAD,
            description = "Reloader v2: the annotation naming SecretProviderClasses to reload on (default: ${DEFAULT-VALUE})")
    String spcAnnotation;
    @Option(names = "--secretproviderclass-auto-annotation", paramLabel = "KEY", defaultValue = AnnotationKeys.SPC_AUTO,
            description = "Reloader v2: the annotation for auto reload on SecretProviderClasses (default: ${DEFAULT-VALUE})")
    String spcAutoAnnotation;
    @Option(names = "--secretproviderclass-exclude-annotation", paramLabel = "KEY",
            defaultValue = AnnotationKeys.SPC_EXCLUDE, description = "Reloader v2: the annotation that excludes named "
            + "SecretProviderClasses (default: ${DEFAULT-VALUE})")
    String spcExcludeAnnotation;

    /** Reloader v2's renamed keys on top of v1's. */
    AnnotationKeys keys(AnnotationKeys v1) {
        return v1.withV2Keys(configmapExcludeAnnotation, secretExcludeAnnotation, spcAnnotation, spcAutoAnnotation,
                spcExcludeAnnotation);
    }

    /** How {@code --is-openshift} was given. */
    enum OpenShift {
        /** Not given: v1's behaviour (platform detected for the start-up line only). */
        UNSET,
        TRUE,
        FALSE,
        AUTO;

        /** The {@code Environment:} start-up line's platform, or null when it must be detected. */
        String environment() {
            return switch (this) {
                case TRUE -> "Openshift";
                case FALSE -> "Kubernetes";
                default -> null;
            };
        }
    }

    OpenShift openShift() {
        if (isOpenshift == null) {
            return OpenShift.UNSET;
        }
        return switch (isOpenshift.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> OpenShift.TRUE;
            case "false" -> OpenShift.FALSE;
            case "auto", "" -> OpenShift.AUTO;
            default -> throw new FlagException("--is-openshift must be one of: true, false, auto, not '"
                    + isOpenshift + "'");
        };
    }

    /** The workload kinds {@code --is-openshift=true} adds (auto adds them once the platform is known). */
    List<CustomKindSpec> workloadKinds() {
        return openShift() == OpenShift.TRUE ? List.of(DEPLOYMENT_CONFIG) : List.of();
    }

    /** The HTTP layout: v1's single port unless a v2 address flag was given. */
    HttpOptions http(int httpPort, InetSocketAddress pprof, List<String> warnings) {
        if (metricsAddr == null && healthAddr == null) {
            return new HttpOptions(httpPort, pprof);
        }
        InetSocketAddress metrics = address("--metrics-addr", metricsAddr == null ? ":9090" : metricsAddr);
        InetSocketAddress health = address("--health-addr", healthAddr == null ? ":8080" : healthAddr);
        if (httpPort != 9090) {
            warnings.add("--http-port is not used: with --metrics-addr or --health-addr, /metrics is served on "
                    + (metrics == null ? "no address" : metricsAddr == null ? ":9090" : metricsAddr)
                    + " and the probes on " + (health == null ? "no address" : healthAddr == null ? ":8080" : healthAddr));
        }
        return new HttpOptions(httpPort, pprof, true, metrics, health);
    }

    /** controller-runtime's convention: "0" turns the endpoint off. */
    private static InetSocketAddress address(String flag, String value) {
        return "0".equals(value.trim()) ? null : FlagValues.address(flag, value.trim());
    }
}
