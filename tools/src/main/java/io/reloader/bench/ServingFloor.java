package io.reloader.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long the API server itself takes to serve the lists a controller reads at start (Secrets, ConfigMaps and
 * Deployments, every page of 500, the three at once as the controller lists them), bodies read and dropped:
 * no client that reads them all can be ready sooner, so launch → ready is shown beside it.
 */
final class ServingFloor {
    static final String AGENT = "benchmark-serving-floor";
    static final List<String> LISTS = List.of("/api/v1/secrets", "/api/v1/configmaps", "/apis/apps/v1/deployments");
    private static final Pattern CONTINUE = Pattern.compile("\"continue\":\"([^\"]*)\"");

    private ServingFloor() {
    }

    /** Seconds for all of {@link #LISTS} at once, and per list; pages per list; bytes served. */
    static Map<String, Object> measure(String serverUrl) {
        HttpClient http = HttpClient.newHttpClient();
        String base = serverUrl.endsWith("/") ? serverUrl.substring(0, serverUrl.length() - 1) : serverUrl;
        long start = System.nanoTime();
        Map<String, CompletableFuture<long[]>> perList = new LinkedHashMap<>();
        for (String path : LISTS) {
            perList.put(path, CompletableFuture.supplyAsync(() -> readAllPages(http, base + path, start)));
        }
        Map<String, Object> r = new LinkedHashMap<>();
        Map<String, Object> seconds = new LinkedHashMap<>();
        Map<String, Object> pages = new LinkedHashMap<>();
        long bytes = 0;
        long last = start;
        for (Map.Entry<String, CompletableFuture<long[]>> e : perList.entrySet()) {
            long[] pagesBytesEnd = e.getValue().join();
            seconds.put(e.getKey(), Measurements.seconds(pagesBytesEnd[2] - start));
            pages.put(e.getKey(), pagesBytesEnd[0]);
            bytes += pagesBytesEnd[1];
            last = Math.max(last, pagesBytesEnd[2]);
        }
        r.put("seconds", Measurements.seconds(last - start));
        r.put("secondsByList", seconds);
        r.put("pagesByList", pages);
        r.put("bytes", bytes);
        return r;
    }

    /** Pages, bytes and the time the last page ended. */
    private static long[] readAllPages(HttpClient http, String url, long start) {
        long pages = 0;
        long bytes = 0;
        String next = "";
        try {
            do {
                String query = "?limit=500" + (next.isEmpty() ? "" : "&continue="
                        + URLEncoder.encode(next, StandardCharsets.UTF_8));
                HttpRequest request = HttpRequest.newBuilder(URI.create(url + query)).header("User-Agent", AGENT)
                        .header("Authorization", "Bearer benchmark").build();
                HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
                if (response.statusCode() != 200) {
                    throw new IllegalStateException(url + " answered " + response.statusCode());
                }
                try (InputStream body = response.body()) {
                    byte[] head = body.readNBytes(4096); // the list's metadata comes first
                    Matcher m = CONTINUE.matcher(new String(head, StandardCharsets.UTF_8));
                    next = m.find() ? m.group(1) : "";
                    bytes += head.length + body.transferTo(java.io.OutputStream.nullOutputStream());
                }
                pages++;
            } while (!next.isEmpty());
        } catch (IOException e) {
            throw new IllegalStateException("listing " + url + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return new long[] {pages, bytes, System.nanoTime()};
    }
}
