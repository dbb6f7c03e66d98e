package io.reloader.kube;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ExceptionHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * When an informer retries after a failed list or watch. Before it has started, fabric8 gives up on every client
 * error; a {@code 410 Gone} (the watch's resourceVersion was compacted away between list and watch), throttling
 * and server errors are passing conditions that a relist cures, so those are retried too. Forbidden and not-found
 * stay fatal at start-up: they are configuration (RBAC, a missing CRD) that the caller reports or works around.
 */
public final class InformerRetry {
    private InformerRetry() {
    }

    /** Longer than any start-up timeout the controller uses; only ends the poller. */
    static final Duration GIVE_UP_AFTER = Duration.ofMinutes(30);

    public static final ExceptionHandler HANDLER = (started, t) -> started || transientFailure(t);

    /**
     * Starts the informer and completes when it has synced. fabric8's own start future does not complete when the
     * first attempt failed and a retry succeeded, so the informer's sync state is watched as well.
     */
    public static <T> CompletableFuture<Void> start(SharedIndexInformer<T> informer) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        informer.start().whenComplete((v, e) -> {
            if (e == null) {
                done.complete(null);
            } else {
                done.completeExceptionally(e);
            }
        });
        long deadline = System.nanoTime() + GIVE_UP_AFTER.toNanos();
        Thread poller = new Thread(() -> {
            while (!done.isDone()) {
                if (informer.hasSynced() && informer.isWatching()) {
                    done.complete(null);
                    return;
                }
                if (informer.stopped().toCompletableFuture().isDone()) {
                    done.completeExceptionally(new CancellationException("informer stopped before it synced"));
                    return;
                }
                if (System.nanoTime() > deadline) {
                    // The caller's own timeout has long passed; do not poll a dead informer for ever.
                    done.completeExceptionally(new TimeoutException("informer did not sync within " + GIVE_UP_AFTER));
                    return;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }, "reloader-informer-sync");
        poller.setDaemon(true);
        poller.start();
        return done;
    }

    static boolean transientFailure(Throwable t) {
        Throwable c = t;
        while (c != null && !(c instanceof KubernetesClientException)) {
            c = c.getCause();
        }
        if (!(c instanceof KubernetesClientException k)) {
            return true; // connection trouble
        }
        int code = k.getCode();
        return code == 410 || code == 429 || code >= 500 || code == 0;
    }
}
