package io.reloader.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the controller's own event-loop probe from its /metrics: how late a task scheduled on each of the HTTP
 * client's event loops ran, the longest delay, and how many probes found a loop blocked for over 100 ms.
 */
final class EventLoopDelays {
    static final String METRIC = "reloader_event_loop_delay_seconds";

    private EventLoopDelays() {
    }

    static Map<String, Object> scrape(HttpClient http, int port) throws Exception {
        String text = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return parse(text);
    }

    static Map<String, Object> parse(String metrics) {
        double count = 0;
        double within = 0;
        double max = 0;
        for (String line : metrics.split("\n")) {
            if (!line.startsWith(METRIC)) {
                continue;
            }
            String[] f = line.split(" ");
            double v = Double.parseDouble(f[f.length - 1]);
            if (line.startsWith(METRIC + "_count")) {
                count += v;
            } else if (line.startsWith(METRIC + "_max")) {
                max = Math.max(max, v);
            } else if (line.startsWith(METRIC + "_bucket") && line.contains("le=\"0.1\"")) {
                within += v;
            }
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("probes", (long) count);
        r.put("maxDelayMillis", Math.round(max * 1000));
        r.put("stallsOver100ms", (long) (count - within));
        return r;
    }
}
