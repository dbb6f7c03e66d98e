package io.reloader.bench;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The requests the API server received, counted at the server and attributed by user agent. */
final class ServerRequests {
    private static final List<String> COLLECTIONS = List.of("configmaps", "secrets", "deployments", "daemonsets",
            "statefulsets", "cronjobs", "jobs");

    private final KubernetesMockServer server;

    ServerRequests(KubernetesMockServer server) {
        this.server = server;
    }

    /** Everything received since the last call. */
    List<RecordedRequest> take() throws InterruptedException {
        List<RecordedRequest> out = new ArrayList<>();
        RecordedRequest r;
        while ((r = server.takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
            out.add(r);
        }
        return out;
    }

    void drain() throws InterruptedException {
        take();
    }

    /** One client's requests since the last call, by verb; GET splits into LIST, WATCH and GET. */
    Map<String, Long> byVerb(String userAgent) throws InterruptedException {
        Map<String, Long> verbs = new LinkedHashMap<>();
        for (RecordedRequest req : take()) {
            if (!userAgent.equals(req.getHeader("User-Agent"))) {
                continue;
            }
            String verb = req.getMethod();
            if (verb.equals("GET")) {
                String path = req.getPath();
                String last = path.split("\\?")[0].replaceAll(".*/", "");
                verb = path.contains("watch=true") ? "WATCH" : COLLECTIONS.contains(last) ? "LIST" : "GET";
            }
            verbs.merge(verb, 1L, Long::sum);
        }
        return verbs;
    }
}
