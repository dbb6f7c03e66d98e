package io.reloader.cli;

import io.reloader.config.HaOptions;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Leader election with {@code --enable-ha}: Reloader v2's {@code --leader-election-*} flags, with v1's Lease name
 * and client-go's timings as defaults. Mixed into the controller's flags.
 */
final class LeaderElectionFlags {
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    @Option(names = "--leader-election-id", paramLabel = "NAME", defaultValue = HaOptions.LEASE_NAME,
            description = "With --enable-ha: name of the Lease (default: ${DEFAULT-VALUE}, Reloader v1's, so old and "
                    + "new pods exclude each other)")
    String id;

    @Option(names = "--leader-election-namespace", paramLabel = "NAMESPACE", defaultValue = "",
            description = "With --enable-ha: namespace of the Lease (default: POD_NAMESPACE)")
    String namespace;

    @Option(names = "--leader-election-lease-duration", paramLabel = "DURATION", defaultValue = "15s",
            description = "With --enable-ha: how long a Lease is valid (default: ${DEFAULT-VALUE})")
    String leaseDuration;

    @Option(names = "--leader-election-renew-deadline", paramLabel = "DURATION", defaultValue = "10s",
            description = "With --enable-ha: the leader gives up if it cannot renew within this (default: ${DEFAULT-VALUE})")
    String renewDeadline;

    @Option(names = "--leader-election-retry-period", paramLabel = "DURATION", defaultValue = "2s",
            description = "With --enable-ha: how often to try to acquire or renew (default: ${DEFAULT-VALUE})")
    String retryPeriod;

    @Option(names = "--leader-election-release-on-cancel", paramLabel = "BOOL", arity = "0..1", fallbackValue = "true",
            defaultValue = "true", description = "With --enable-ha: release the Lease on shutdown, so a standby "
            + "takes over at once (default: ${DEFAULT-VALUE})")
    String releaseOnCancel;

    /** The election settings; null without HA. Throws {@link FlagException} naming the flag. */
    HaOptions toOptions(boolean enableHa, Map<String, String> env) {
        Duration lease = FlagValues.duration("--leader-election-lease-duration", leaseDuration);
        Duration renew = FlagValues.duration("--leader-election-renew-deadline", renewDeadline);
        Duration retry = FlagValues.duration("--leader-election-retry-period", retryPeriod);
        boolean release = FlagValues.bool("--leader-election-release-on-cancel", releaseOnCancel);
        if (id.length() > 253 || !DNS_SUBDOMAIN.matcher(id).matches()) {
            throw new FlagException("--leader-election-id must be a Lease name (lower-case letters, digits, '-' and "
                    + "'.', at most 253 characters), not '" + id + "'");
        }
        if (!namespace.isEmpty() && (namespace.length() > 63 || !DNS_LABEL.matcher(namespace).matches())) {
            throw new FlagException("--leader-election-namespace must be a namespace name (lower-case letters, "
                    + "digits and '-', at most 63 characters), not '" + namespace + "'");
        }
        if (retry.isZero()) {
            throw new FlagException("--leader-election-retry-period must be more than 0s, not '" + retryPeriod + "'");
        }
        if (renew.compareTo(retry) <= 0) {
            throw new FlagException("--leader-election-renew-deadline (" + renewDeadline + ") must be longer than "
                    + "--leader-election-retry-period (" + retryPeriod + ")");
        }
        if (lease.compareTo(renew) <= 0) {
            throw new FlagException("--leader-election-lease-duration (" + leaseDuration + ") must be longer than "
                    + "--leader-election-renew-deadline (" + renewDeadline + ")");
        }
        if (!enableHa) {
            return null;
        }
        FlagValues.requireEnv(env, "POD_NAME");
        String ns = namespace;
        if (ns.isEmpty()) {
            FlagValues.requireEnv(env, "POD_NAMESPACE");
            ns = env.get("POD_NAMESPACE");
        }
        return new HaOptions(id, ns, env.get("POD_NAME"), lease, renew, retry, release);
    }
}
