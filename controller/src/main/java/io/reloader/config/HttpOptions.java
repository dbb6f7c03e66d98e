package io.reloader.config;

import java.net.InetSocketAddress;

/**
 * The HTTP endpoints ({@code /metrics}, {@code /live}, {@code /ready}).
 *
 * @param port           {@code --http-port}; 0 turns the server off. Unused when {@link #separate()}
 * @param pprofAddress   with {@code --enable-pprof}: a second address serving the same endpoints, else null
 * @param separate       Reloader v2's layout: {@code --metrics-addr} or {@code --health-addr} was given, so
 *                       {@code /metrics} and the probes are served on their own addresses instead of {@code port}
 * @param metricsAddress with {@link #separate()}: where {@code /metrics} is served, or null (turned off with "0")
 * @param healthAddress  with {@link #separate()}: where the probes are served, or null (turned off with "0")
 */
public record HttpOptions(int port, InetSocketAddress pprofAddress, boolean separate,
                          InetSocketAddress metricsAddress, InetSocketAddress healthAddress) {

    /** v1's layout: everything on one port. */
    public HttpOptions(int port, InetSocketAddress pprofAddress) {
        this(port, pprofAddress, false, null, null);
    }
}
