package io.reloader.chart;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Just enough of an API server for {@code helm install} to take its capabilities from: discovery of the kinds the
 * chart renders, plus optional API groups (the Prometheus operator's, the VPA's); the objects helm creates are
 * kept for the test, nothing else is stored.
 * helm-java has no {@code --api-versions}, so this is how a test renders with and without an API.
 */
final class DiscoveryServer implements AutoCloseable {
    /** groupVersion → resources as plural:Kind:namespaced. */
    private static final Map<String, List<String>> BUILT_IN = Map.of(
            "v1", List.of("serviceaccounts:ServiceAccount:true", "services:Service:true", "secrets:Secret:true",
                    "configmaps:ConfigMap:true"),
            "apps/v1", List.of("deployments:Deployment:true"),
            "rbac.authorization.k8s.io/v1", List.of("clusterroles:ClusterRole:false",
                    "clusterrolebindings:ClusterRoleBinding:false", "roles:Role:true", "rolebindings:RoleBinding:true"),
            "policy/v1", List.of("poddisruptionbudgets:PodDisruptionBudget:true"),
            "networking.k8s.io/v1", List.of("networkpolicies:NetworkPolicy:true"));
    static final Map<String, List<String>> PROMETHEUS_OPERATOR = Map.of("monitoring.coreos.com/v1", List.of(
            "servicemonitors:ServiceMonitor:true", "podmonitors:PodMonitor:true", "prometheusrules:PrometheusRule:true"));
    static final Map<String, List<String>> VPA = Map.of("autoscaling.k8s.io/v1",
            List.of("verticalpodautoscalers:VerticalPodAutoscaler:true"));

    private final HttpServer server;
    private final Map<String, List<String>> groups = new LinkedHashMap<>(BUILT_IN);
    private final List<String> created = new java.util.concurrent.CopyOnWriteArrayList<>();

    DiscoveryServer(Set<Map<String, List<String>>> extra) throws IOException {
        extra.forEach(groups::putAll);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The objects helm created (JSON), its own release record excluded. */
    List<String> created() {
        return List.copyOf(created);
    }

    String kubeconfig() {
        return "apiVersion: v1\nkind: Config\nclusters:\n- name: d\n  cluster:\n    server: http://127.0.0.1:"
                + server.getAddress().getPort() + "\ncontexts:\n- name: d\n  context: {cluster: d, user: d}\n"
                + "current-context: d\nusers:\n- name: d\n  user: {token: t}\n";
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String body;
        int code = 200;
        if (ex.getRequestMethod().equals("POST") || ex.getRequestMethod().equals("PUT")) {
            // helm creating (or updating its release record): keep the object, answer with it
            body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (!body.startsWith("{")) {
                // helm's release record, sent as protobuf: answer with a bare Secret in JSON
                body = "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"release\","
                        + "\"resourceVersion\":\"1\"}}";
            } else if (ex.getRequestMethod().equals("POST") && !body.contains("\"helm.sh/release.v1\"")) {
                created.add(body);
            }
            code = ex.getRequestMethod().equals("POST") ? 201 : 200;
        } else if (path.equals("/version")) {
            body = "{\"major\":\"1\",\"minor\":\"31\",\"gitVersion\":\"v1.31.0\"}";
        } else if (path.equals("/api")) {
            body = "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"]}";
        } else if (path.equals("/apis")) {
            body = groupList();
        } else if (path.equals("/api/v1")) {
            body = resourceList("v1");
        } else if (path.startsWith("/apis/") && groups.containsKey(path.substring(6))) {
            body = resourceList(path.substring(6));
        } else if (ex.getRequestURI().getQuery() != null && ex.getRequestURI().getQuery().contains("labelSelector")) {
            body = "{\"kind\":\"List\",\"apiVersion\":\"v1\",\"metadata\":{},\"items\":[]}"; // no release stored
        } else {
            code = 404;
            body = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"NotFound\",\"code\":404}";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(code, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    private String groupList() {
        List<String> items = new ArrayList<>();
        groups.keySet().stream().filter(gv -> gv.contains("/")).forEach(gv -> {
            String group = gv.substring(0, gv.indexOf('/'));
            String version = gv.substring(gv.indexOf('/') + 1);
            String v = "{\"groupVersion\":\"" + gv + "\",\"version\":\"" + version + "\"}";
            items.add("{\"name\":\"" + group + "\",\"versions\":[" + v + "],\"preferredVersion\":" + v + "}");
        });
        return "{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":[" + String.join(",", items) + "]}";
    }

    private String resourceList(String groupVersion) {
        List<String> items = new ArrayList<>();
        for (String r : groups.get(groupVersion)) {
            String[] p = r.split(":");
            items.add("{\"name\":\"" + p[0] + "\",\"singularName\":\"\",\"namespaced\":" + p[2] + ",\"kind\":\"" + p[1]
                    + "\",\"verbs\":[\"create\",\"get\",\"list\",\"delete\",\"patch\",\"update\"]}");
        }
        return "{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\",\"groupVersion\":\"" + groupVersion
                + "\",\"resources\":[" + String.join(",", items) + "]}";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
