package io.reloader.config;

import java.net.InetSocketAddress;

/**
 * The HTTP endpoints ({@code /metrics}, {@code /live}, {@code /ready}).
 *
 * @param port         {@code --http-port}; 0 turns the server off
 * @param pprofAddress with {@code --enable-pprof}: a second address serving the same endpoints, else null
 */
public record HttpOptions(int port, InetSocketAddress pprofAddress) {
}
