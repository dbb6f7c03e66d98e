package io.reloader.report;

import io.fabric8.kubernetes.api.model.HasMetadata;

import java.time.Instant;

/** Where Events end up: creates one, or counts one more occurrence of an existing one. May block; may throw. */
public interface EventSink {
    /** Creates an Event and returns its name. */
    String create(HasMetadata involved, String type, String reason, String message, String component, Instant at);

    /** Sets the count, message and last timestamp of an existing Event; false if it no longer exists. */
    boolean update(String namespace, String name, int count, String message, Instant at);
}
