package io.reloader.write;

import io.fabric8.kubernetes.client.http.StandardHttpRequest;
import io.reloader.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A write starts only while the Lease outlasts it; reads and Lease requests always pass. */
class WriteFenceTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final MutableClock clock = new MutableClock(T0);
    private final AtomicReference<Instant> validUntil = new AtomicReference<>(T0.plusSeconds(15));
    private final WriteFence fence = new WriteFence(validUntil::get, Duration.ofSeconds(5), clock);

    private static StandardHttpRequest request(String method, String path) {
        StandardHttpRequest.Builder b = new StandardHttpRequest.Builder();
        b.uri("https://api" + path);
        if (!method.equals("GET")) {
            b.method(method, "application/json", "{}");
        }
        return b.build();
    }

    private void send(String method, String path) {
        StandardHttpRequest r = request(method, path);
        fence.before(new StandardHttpRequest.Builder(r), r, null);
    }

    @ParameterizedTest
    @CsvSource({"PATCH,/apis/apps/v1/namespaces/shop/deployments/web", "POST,/api/v1/namespaces/shop/events",
            "PUT,/api/v1/namespaces/reloader/configmaps/reloader-meta-info", "DELETE,/apis/batch/v1/namespaces/a/jobs/j",
            "POST,/apis/batch/v1/namespaces/a/jobs"})
    void aWriteIsRefusedOnceTheLeaseCouldExpireBeforeItCompletes(String method, String path) {
        clock.advance(Duration.ofMillis(9_999)); // 9.999 s + 5 s < 15 s
        send(method, path);
        clock.advance(Duration.ofMillis(1)); // 10 s + 5 s is not before 15 s
        assertThatThrownBy(() -> send(method, path)).isInstanceOf(WriteFence.FencedWriteException.class)
                .hasMessageContaining(method);
    }

    @Test
    void withoutTheLeaseNothingIsWritten() {
        validUntil.set(Instant.MIN);
        assertThatThrownBy(() -> send("PATCH", "/apis/apps/v1/namespaces/a/deployments/web"))
                .isInstanceOf(WriteFence.FencedWriteException.class);
    }

    @Test
    void readsAndLeaseRequestsAreNeverFenced() {
        validUntil.set(Instant.MIN);
        send("GET", "/apis/apps/v1/namespaces/a/deployments/web");
        send("PUT", "/apis/coordination.k8s.io/v1/namespaces/reloader/leases/stakater-reloader-lock");
        send("POST", "/apis/coordination.k8s.io/v1/namespaces/reloader/leases");
    }

    @Test
    void aPassingWriteGetsTheWriteTimeoutAsItsRequestTimeout() {
        StandardHttpRequest r = request("PATCH", "/apis/apps/v1/namespaces/a/deployments/web");
        StandardHttpRequest.Builder b = new StandardHttpRequest.Builder(r);
        b.timeout(30, java.util.concurrent.TimeUnit.SECONDS);
        fence.before(b, r, null);
        assertThat(b.build().getTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aRenewalMovesTheFence() {
        clock.advance(Duration.ofSeconds(11));
        assertThatThrownBy(() -> send("PATCH", "/apis/apps/v1/namespaces/a/deployments/web"))
                .isInstanceOf(WriteFence.FencedWriteException.class);
        validUntil.set(clock.instant().plusSeconds(15));
        send("PATCH", "/apis/apps/v1/namespaces/a/deployments/web");
    }
}
