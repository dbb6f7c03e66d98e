package io.reloader.kube;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Describes a failed API call for logs and Events without the server's message or the request body: a 422 echoes
 * the rejected value (an env var, a Secret's data) in its message, so only the status code, the reason and the
 * field paths are kept.
 */
public final class ApiErrors {
    private ApiErrors() {
    }

    /** For example {@code HTTP 422 Invalid (spec.template.spec.containers[0].env[0].value)}. */
    public static String describe(Throwable error) {
        Throwable t = error;
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        KubernetesClientException k = find(t);
        if (k == null) {
            return t.getClass().getSimpleName();
        }
        StringBuilder s = new StringBuilder("HTTP ").append(k.getCode());
        Status status = k.getStatus();
        if (status != null && status.getReason() != null && !status.getReason().isEmpty()) {
            s.append(' ').append(status.getReason());
        }
        Set<String> fields = new LinkedHashSet<>();
        if (status != null && status.getDetails() != null && status.getDetails().getCauses() != null) {
            for (StatusCause cause : status.getDetails().getCauses()) {
                if (cause.getField() != null && !cause.getField().isEmpty()) {
                    fields.add(cause.getField());
                }
            }
        }
        if (!fields.isEmpty()) {
            s.append(" (").append(String.join(", ", fields)).append(')');
        }
        if (k.getCode() <= 0) {
            Throwable root = k;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            s.setLength(0);
            s.append("connection failed (").append(root.getClass().getSimpleName()).append(')');
        }
        return s.toString();
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
