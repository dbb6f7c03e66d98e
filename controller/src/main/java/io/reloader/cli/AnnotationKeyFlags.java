package io.reloader.cli;

import io.reloader.config.AnnotationKeys;
import picocli.CommandLine.Option;

/** Reloader's flags that rename the annotation keys, mixed into the controller's flags. */
final class AnnotationKeyFlags {
    @Option(names = "--auto-annotation", paramLabel = "KEY", defaultValue = "reloader.stakater.com/auto")
    String autoAnnotation;
    @Option(names = "--configmap-auto-annotation", paramLabel = "KEY", defaultValue = "configmap.reloader.stakater.com/auto")
    String configmapAutoAnnotation;
    @Option(names = "--secret-auto-annotation", paramLabel = "KEY", defaultValue = "secret.reloader.stakater.com/auto")
    String secretAutoAnnotation;
    @Option(names = "--configmap-annotation", paramLabel = "KEY", defaultValue = "configmap.reloader.stakater.com/reload")
    String configmapAnnotation;
    @Option(names = "--secret-annotation", paramLabel = "KEY", defaultValue = "secret.reloader.stakater.com/reload")
    String secretAnnotation;
    @Option(names = "--auto-search-annotation", paramLabel = "KEY", defaultValue = "reloader.stakater.com/search")
    String autoSearchAnnotation;
    @Option(names = "--search-match-annotation", paramLabel = "KEY", defaultValue = "reloader.stakater.com/match")
    String searchMatchAnnotation;
    @Option(names = "--ignore-annotation", paramLabel = "KEY", defaultValue = "reloader.stakater.com/ignore")
    String ignoreAnnotation;
    @Option(names = "--pause-deployment-annotation", paramLabel = "KEY", defaultValue = "deployment.reloader.stakater.com/pause-period")
    String pauseDeploymentAnnotation;
    @Option(names = "--pause-deployment-time-annotation", paramLabel = "KEY", defaultValue = "deployment.reloader.stakater.com/paused-at")
    String pauseDeploymentTimeAnnotation;

    AnnotationKeys toKeys() {
        return new AnnotationKeys(autoAnnotation, configmapAutoAnnotation, secretAutoAnnotation, configmapAnnotation,
                secretAnnotation, autoSearchAnnotation, searchMatchAnnotation, ignoreAnnotation,
                pauseDeploymentAnnotation, pauseDeploymentTimeAnnotation);
    }
}
