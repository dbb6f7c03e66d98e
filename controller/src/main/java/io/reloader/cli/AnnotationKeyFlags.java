package io.reloader.cli;

import io.reloader.config.AnnotationKeys;
import picocli.CommandLine.Option;

/** Reloader's flags that rename the annotation keys, mixed into the controller's flags. */
final class AnnotationKeyFlags {
    @Option(names = "--auto-annotation", paramLabel = "KEY", defaultValue = "reloader.stakater.com/auto",
            description = "The annotation that reloads a workload on every source it references (default: ${DEFAULT-VALUE})")
    String autoAnnotation;
    @Option(names = "--configmap-auto-annotation", paramLabel = "KEY", defaultValue = "configmap.reloader.stakater.com/auto",
            description = "The annotation that reloads a workload on every ConfigMap it references (default: ${DEFAULT-VALUE})")
    String configmapAutoAnnotation;
    @Option(names = "--secret-auto-annotation", paramLabel = "KEY", defaultValue = "secret.reloader.stakater.com/auto",
            description = "The annotation that reloads a workload on every Secret it references (default: ${DEFAULT-VALUE})")
    String secretAutoAnnotation;
    @Option(names = "--configmap-annotation", paramLabel = "KEY", defaultValue = "configmap.reloader.stakater.com/reload",
            description = "The annotation naming the ConfigMaps a workload reloads on (default: ${DEFAULT-VALUE})")
    String configmapAnnotation;
    @Option(names = "--secret-annotation", paramLabel = "KEY", defaultValue = "secret.reloader.stakater.com/reload",
            description = "The annotation naming the Secrets a workload reloads on (default: ${DEFAULT-VALUE})")
    String secretAnnotation;
    @Option(names = "--auto-search-annotation", paramLabel = "KEY", defaultValue = "reloader.stakater.com/search",
            description = "The workload annotation that reloads it on sources carrying --search-match-annotation (default: ${DEFAULT-VALUE})")
    String autoSearchAnnotation;
    @Option(names = "--search-match-annotation", paramLabel = "KEY", defaultValue = "reloader.stakater.com/match",
            description = "The source annotation that search-mode workloads reload on (default: ${DEFAULT-VALUE})")
    String searchMatchAnnotation;
    @Option(names = "--ignore-annotation", paramLabel = "KEY", defaultValue = "reloader.stakater.com/ignore",
            description = "The source annotation that makes its changes reload nothing (default: ${DEFAULT-VALUE})")
    String ignoreAnnotation;
    @Option(names = "--pause-deployment-annotation", paramLabel = "KEY", defaultValue = "deployment.reloader.stakater.com/pause-period",
            description = "The Deployment annotation: pause it for this period after a reload (default: ${DEFAULT-VALUE})")
    String pauseDeploymentAnnotation;
    @Option(names = "--pause-deployment-time-annotation", paramLabel = "KEY", defaultValue = "deployment.reloader.stakater.com/paused-at",
            description = "The Deployment annotation recording when the reload paused it (default: ${DEFAULT-VALUE})")
    String pauseDeploymentTimeAnnotation;

    AnnotationKeys toKeys() {
        return new AnnotationKeys(autoAnnotation, configmapAutoAnnotation, secretAutoAnnotation, configmapAnnotation,
                secretAnnotation, autoSearchAnnotation, searchMatchAnnotation, ignoreAnnotation,
                pauseDeploymentAnnotation, pauseDeploymentTimeAnnotation);
    }
}
