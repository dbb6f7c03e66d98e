package io.reloader.cli;

import io.fabric8.kubernetes.client.http.HttpClient;
import io.reloader.report.ReloaderMetrics;
import io.reloader.report.RestClientMetrics;
import io.reloader.write.FieldManagerInterceptor;

import java.util.function.Consumer;

/** What every client this program builds carries: the field manager on writes, and request metrics. */
final class ClientInterceptors {
    private ClientInterceptors() {
    }

    static Consumer<HttpClient.Builder> of(String fieldManager, ReloaderMetrics metrics) {
        return b -> b.addOrReplaceInterceptor("fieldManager", new FieldManagerInterceptor(fieldManager))
                .addOrReplaceInterceptor("restClientMetrics", new RestClientMetrics(metrics));
    }
}
