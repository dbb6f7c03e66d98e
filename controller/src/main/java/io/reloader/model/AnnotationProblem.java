package io.reloader.model;

/**
 * A workload annotation that is invalid or has no effect. Reported as a log line and a Warning Event naming
 * the workload and the key; it never stops other workloads from reloading.
 *
 * @param key     the annotation key
 * @param value   the annotation value as found (may be long; callers abbreviate)
 * @param message what is wrong and what to do instead
 */
public record AnnotationProblem(String key, String value, String message) {
}
