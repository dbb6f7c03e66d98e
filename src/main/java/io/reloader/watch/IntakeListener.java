package io.reloader.watch;

/** Observes the intake stage, for metrics: raw events and the ones filtered out. */
public interface IntakeListener {
    void received(String eventType, String resource);

    void skipped(String reason);

    static IntakeListener none() {
        return new IntakeListener() {
            @Override
            public void received(String eventType, String resource) {
            }

            @Override
            public void skipped(String reason) {
            }
        };
    }
}
