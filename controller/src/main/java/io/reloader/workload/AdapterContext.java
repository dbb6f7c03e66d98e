package io.reloader.workload;

import io.reloader.write.WorkloadApi;

import java.time.Clock;

/**
 * What adapters act through, one set per controller. Adapters only keep these and use them to act, so what they
 * declare can be read without any ({@link #NONE}).
 */
public record AdapterContext(WorkloadApi api, DeploymentPauser pauser, CronJobAction cronJobs, JobAction jobs,
                             Clock clock) {
    /** For reading what adapters declare; an adapter made with it must never act. */
    public static final AdapterContext NONE = new AdapterContext(null, null, null, null, Clock.systemUTC());
}
