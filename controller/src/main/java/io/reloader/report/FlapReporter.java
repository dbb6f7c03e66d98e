package io.reloader.report;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.reloader.config.GoDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;

/**
 * Says that a source flaps and that it settled (project extension, {@code --flap-window}): a log line and an Event on
 * the source naming the field managers that wrote the alternating versions and the workloads held (a bounded
 * list), and the gauge {@code reloader_sources_flapping}. Names only, never data.
 */
public final class FlapReporter {
    public static final String REASON_FLAPPING = "SourceFlapping";
    public static final String REASON_SETTLED = "SourceSettled";
    /** Workloads named in a message; the rest are counted. */
    static final int MAX_LISTED = 10;
    private static final Logger LOG = LoggerFactory.getLogger("reloader");

    private final EventRecorder events;
    private final ReloaderMetrics metrics;

    public FlapReporter(EventRecorder events, ReloaderMetrics metrics) {
        this.events = events;
        this.metrics = metrics;
    }

    /**
     * @param source    the source as an Event's involved object (kind, namespace, name, uid when known)
     * @param managers  who wrote its versions within the window (empty: not known)
     * @param workloads the workloads that follow it, as {@code Kind namespace/name}
     */
    public void flapping(HasMetadata source, List<String> managers, List<String> workloads, Duration window) {
        String message = what(source) + " is flapping: its data returned for the second time within "
                + GoDuration.format(window) + " to an earlier version" + (managers.isEmpty() ? ""
                : " (written by " + String.join(", ", managers) + ")") + "; holding reloads of "
                + list(workloads) + " until it stays unchanged for " + GoDuration.format(window);
        LOG.warn(message);
        events.record(source, "Warning", REASON_FLAPPING, message, "reloader");
    }

    public void settled(HasMetadata source, List<String> workloads, Duration window) {
        String message = what(source) + " stayed unchanged for " + GoDuration.format(window)
                + ": the hold ends; of " + list(workloads) + ", those whose marker differs from its current data "
                + "roll once";
        LOG.info(message);
        events.record(source, "Normal", REASON_SETTLED, message, "reloader");
    }

    public void count(int flapping) {
        metrics.sourcesFlapping(flapping);
    }

    private static String what(HasMetadata source) {
        return source.getKind() + " '" + source.getMetadata().getNamespace() + "/" + source.getMetadata().getName()
                + "'";
    }

    /** "a, b" or the first {@value #MAX_LISTED} "and N more"; "no workload" for none. */
    static String list(List<String> workloads) {
        if (workloads.isEmpty()) {
            return "no workload";
        }
        String listed = String.join(", ", workloads.subList(0, Math.min(MAX_LISTED, workloads.size())));
        return workloads.size() > MAX_LISTED ? listed + " and " + (workloads.size() - MAX_LISTED) + " more" : listed;
    }
}
