package io.reloader.write;

import io.fabric8.kubernetes.client.KubernetesClientException;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.TimeoutException;

/**
 * Which failed API calls are worth another attempt (requeued with backoff until they succeed) and which are
 * final: conflicts (409, tried again against a fresh read), throttling (429), server errors (5xx), timeouts and
 * connection errors are retryable; other client errors (400, 403, 422, …) are not; 404 means the object is gone.
 */
public final class RetryPolicy {
    private RetryPolicy() {
    }

    public static boolean retryable(Throwable error) {
        KubernetesClientException k = find(error);
        if (k != null) {
            int code = k.getCode();
            if (code <= 0) {
                return true; // no HTTP answer: a timeout or a connection error
            }
            return code == 409 || code == 429 || code == 408 || code >= 500;
        }
        for (Throwable c = error; c != null; c = c.getCause()) {
            if (c instanceof IOException || c instanceof TimeoutException || c instanceof InterruptedIOException) {
                return true;
            }
        }
        return false;
    }

    public static boolean notFound(Throwable error) {
        KubernetesClientException k = find(error);
        return k != null && k.getCode() == 404;
    }

    private static KubernetesClientException find(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof KubernetesClientException k) {
                return k;
            }
        }
        return null;
    }
}
