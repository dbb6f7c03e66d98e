package io.reloader.config;

import io.reloader.hash.SourceHasher;

/**
 * What a reload does, and which events are changes.
 *
 * @param strategy              env-vars or annotations
 * @param autoReloadAll         every workload is {@code auto} unless it opts out
 * @param reloadOnCreate        a created source is a change
 * @param reloadOnDelete        a deleted source is a change
 * @param syncAfterRestart      sources found at start count as created
 * @param reloadMissedOnStart   project extension: at start, reload workloads whose marker holds an older hash
 * @param keepStaleEnvVars      with the annotations strategy, keep STAKATER_* variables of earlier reloads
 * @param cronjobRespectSuspend project extension: no Job is created for a suspended CronJob
 * @param webhookUrl            non-empty: send a webhook instead of reloading
 * @param hasher                Reloader's SHA-1, or the keyed HMAC chosen with {@code --hash-key-file}
 * @param referencedKeysOnly    project extension: workloads follow only the keys of a source they read
 */
public record ReloadOptions(ReloadStrategyType strategy, boolean autoReloadAll, boolean reloadOnCreate,
                            boolean reloadOnDelete, boolean syncAfterRestart, boolean reloadMissedOnStart,
                            boolean keepStaleEnvVars, boolean cronjobRespectSuspend, String webhookUrl,
                            SourceHasher hasher, boolean referencedKeysOnly) {
}
