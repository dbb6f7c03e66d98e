package io.reloader.watch;

/** Observes the intake stage, for metrics: raw events and the ones filtered out. */
public interface IntakeListener {
    void received(String eventType, String resource);

    void skipped(String reason);

    /** An event passed ({@code queued}) or dropped by the intake filters. */
    void processed(String resource, boolean queued);

    static IntakeListener none() {
        return new IntakeListener() {
            @Override
            public void received(String eventType, String resource) {
            }

            @Override
            public void skipped(String reason) {
            }

            @Override
            public void processed(String resource, boolean queued) {
            }
        };
    }
}
