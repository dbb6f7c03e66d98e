package io.reloader.config;

import java.time.Duration;

/**
 * Leader election settings ({@code --enable-ha}): Reloader's Lease name and identity rule, so that during a
 * migration Reloader pods and this project's pods exclude each other, and client-go's timings.
 *
 * @param releaseOnCancel release the Lease on shutdown so a standby takes over at once
 */
public record HaOptions(String leaseName, String namespace, String identity, Duration leaseDuration,
                        Duration renewDeadline, Duration retryPeriod, boolean releaseOnCancel) {
    public static final String LEASE_NAME = "stakater-reloader-lock";

    /**
     * How long one write may take: a write starts only while the Lease stays ours for this long. With the
     * difference of lease duration and renew deadline, a leader stops writing when it would give up renewing.
     */
    public Duration writeTimeout() {
        return leaseDuration.minus(renewDeadline);
    }

    /** The timeout of each request of the election's own client: a GET and an update fit in the renew deadline. */
    public Duration electionRequestTimeout() {
        return renewDeadline.dividedBy(2);
    }
}
