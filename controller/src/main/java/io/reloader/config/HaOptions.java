package io.reloader.config;

import java.time.Duration;

/**
 * Leader election settings ({@code --enable-ha}): Reloader's Lease name and identity rule, so that during a
 * migration Reloader pods and this project's pods exclude each other.
 */
public record HaOptions(String leaseName, String namespace, String identity, Duration leaseDuration,
                        Duration renewDeadline, Duration retryPeriod) {
    public static final String LEASE_NAME = "stakater-reloader-lock";
}
