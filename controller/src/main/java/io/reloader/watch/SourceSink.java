package io.reloader.watch;

import io.reloader.model.SourceChange;

/** Receives detected source changes (the next stage: find workloads and queue them). */
@FunctionalInterface
public interface SourceSink {
    void accept(SourceChange change);
}
