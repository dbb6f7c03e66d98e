package io.reloader.explain;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.reloader.model.RolloutStatus;
import io.reloader.model.SourceRef;
import io.reloader.model.SourceType;
import io.reloader.policy.TimingAnnotations;
import io.reloader.spec.PodTemplates;
import io.reloader.spec.WorkloadView;
import io.reloader.strategy.Markers;
import io.reloader.strategy.ReloadedFromMarker;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A workload's last reload (from the markers it carries) and where its rollout stands (from its status, by the
 * adapters' kstatus rules), for {@code explain --cluster}. A rollout still in progress longer than its wait timeout
 * after a reload whose time the marker records counts as stalled, as the controller would report it. Pure.
 */
final class RolloutSummary {
    private final Function<HasMetadata, RolloutStatus> rules;
    private final Duration defaultTimeout;
    private final Instant now;

    RolloutSummary(Function<HasMetadata, RolloutStatus> rules, Duration defaultTimeout, Instant now) {
        this.rules = rules;
        this.defaultTimeout = defaultTimeout;
        this.now = now;
    }

    Explanation.Rollout of(HasMetadata workload) {
        Optional<ReloadedFromMarker> marker = Markers.marker(PodTemplates.inPlace(workload));
        Instant at = marker.filter(m -> m.observedAt() > 0).map(m -> Instant.ofEpochSecond(m.observedAt()))
                .orElse(null);
        Map<SourceRef, String> carried = Markers.carried(workload);
        String lastReload;
        if (marker.isPresent()) {
            lastReload = typeName(marker.get().type()) + " " + marker.get().name() + (at == null ? "" : " at " + at);
        } else if (!carried.isEmpty()) {
            List<String> names = new ArrayList<>();
            carried.keySet().forEach(s -> names.add(typeName(s.type()) + " " + s.name()));
            lastReload = String.join(", ", names) + " (time not recorded)";
        } else {
            lastReload = null;
        }
        RolloutStatus s = rules.apply(workload);
        String state = s.state().text();
        String reason = s.reason();
        String message = s.message();
        Duration timeout = TimingAnnotations.rolloutWaitTimeout(WorkloadView.of(workload)).orElse(defaultTimeout);
        if (s.state() == RolloutStatus.State.IN_PROGRESS && at != null && at.plus(timeout).isBefore(now)) {
            state = RolloutStatus.State.STALLED.text();
            reason = "RolloutWaitTimeout";
            message = "not Current within " + io.reloader.config.GoDuration.format(timeout) + " of the reload; "
                    + s.reason() + ": " + s.message();
        }
        return new Explanation.Rollout(lastReload, state, reason, message, s.updated(), s.desired());
    }

    private static String typeName(SourceType t) {
        return switch (t) {
            case CONFIGMAP -> "ConfigMap";
            case SECRET -> "Secret";
            case SECRETPROVIDERCLASS -> "SecretProviderClass";
            case SERVICEACCOUNT -> "ServiceAccount";
        };
    }
}
