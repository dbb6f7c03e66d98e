package io.reloader.bench;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.lang.reflect.Field;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * fabric8's CRUD mock, made to behave like a real API server at tens of thousands of objects:
 * <ul>
 *   <li>objects are loaded into its store in-process ({@link #load}), not through HTTP creates;</li>
 *   <li>a GET by name and a PATCH find their object through an index instead of scanning every object;</li>
 *   <li>lists are served in pages ({@code limit}/{@code continue}) from a snapshot taken at the first page;</li>
 *   <li>a watch sends only changes made after it started, where the mock would first replay every object.</li>
 * </ul>
 * Everything else (patch semantics, watch events, resource versions) is the mock's own. Requests are counted by
 * user agent and verb as they arrive.
 */
final class ScaledCrudDispatcher extends KubernetesCrudDispatcher {
    private static final Pattern RESOURCE_PATH = Pattern.compile(
            "^/(?:api/v1|apis/[^/]+/[^/]+)(?:/namespaces/([^/]+))?/([^/]+)(?:/([^/]+))?$");

    private final IndexedStore store = new IndexedStore();
    private final Lock readLock;
    private final Map<String, Snapshot> snapshots = new ConcurrentHashMap<>();
    private final AtomicLong snapshotIds = new AtomicLong();
    private final Map<String, ClientRequests> requests = new ConcurrentHashMap<>();

    ScaledCrudDispatcher() {
        try {
            Field map = io.fabric8.mockwebserver.crud.CrudDispatcher.class.getDeclaredField("map");
            map.setAccessible(true);
            map.set(this, store);
            Field lock = KubernetesCrudDispatcher.class.getDeclaredField("lock");
            lock.setAccessible(true);
            readLock = ((ReadWriteLock) lock.get(this)).readLock();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this fabric8 mock version is not supported by the benchmark", e);
        }
    }

    /** What one client (by user agent) sent: when it first asked, and how many requests of each verb. */
    static final class ClientRequests {
        final long firstNanos = System.nanoTime();
        final Map<String, AtomicLong> byVerb = new ConcurrentHashMap<>();
        final Map<String, AtomicLong> patchesByName = new ConcurrentHashMap<>();
    }

    /** Puts an object into the store as a create would, without HTTP and without watch events. */
    void load(String collectionPath, String json) {
        AttributeSet attributes = getAttributeExtractor().fromResource(json);
        if (!attributes.containsKey("plural")) {
            attributes = AttributeSet.merge(getAttributeExtractor().fromPath(collectionPath), attributes);
        }
        store.put(attributes, json);
    }

    long nextResourceVersion() {
        return requestResourceVersion();
    }

    ClientRequests requestsOf(String userAgent) {
        return requests.get(userAgent);
    }

    Set<String> knownAgents() {
        return requests.keySet();
    }

    void forgetRequests() {
        requests.clear();
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String agent = String.valueOf(request.getHeader("User-Agent"));
        ClientRequests client = requests.computeIfAbsent(agent, a -> new ClientRequests());
        String verb = verb(request);
        client.byVerb.computeIfAbsent(verb, v -> new AtomicLong()).incrementAndGet();
        if (verb.equals("PATCH")) {
            Matcher m = RESOURCE_PATH.matcher(request.getPath().split("\\?")[0]);
            if (m.matches() && m.group(3) != null) {
                client.patchesByName.computeIfAbsent(m.group(3), v -> new AtomicLong()).incrementAndGet();
            }
        }
        return super.dispatch(request);
    }

    /** GET splits into LIST, WATCH and GET, as the API server's audit log tells them apart. */
    static String verb(RecordedRequest request) {
        String method = request.getMethod().toUpperCase();
        if (!method.equals("GET")) {
            return method;
        }
        String path = request.getPath();
        if (path.contains("watch=true")) {
            return "WATCH";
        }
        Matcher m = RESOURCE_PATH.matcher(path.split("\\?")[0]);
        return m.matches() && m.group(3) == null ? "LIST" : "GET";
    }

    @Override
    public MockResponse handleGet(String path) {
        String[] parts = path.split("\\?", 2);
        // Discovery as an API server answers it; the mock would list every stored object instead.
        if (parts[0].equals("/api")) {
            return new MockResponse().setResponseCode(200).setBody(
                    "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"],\"serverAddressByClientCIDRs\":[]}");
        }
        if (parts[0].equals("/apis")) {
            return new MockResponse().setResponseCode(200).setBody("{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\","
                    + "\"groups\":[" + group("apps") + "," + group("batch") + "]}");
        }
        Map<String, String> query = query(parts.length > 1 ? parts[1] : "");
        Matcher m = RESOURCE_PATH.matcher(parts[0]);
        if ("true".equals(query.get("watch")) || !m.matches() || query.containsKey("labelSelector")
                || query.containsKey("fieldSelector")) {
            return super.handleGet(path);
        }
        String namespace = m.group(1);
        String plural = m.group(2);
        String name = m.group(3);
        readLock.lock();
        try {
            if (name != null) {
                String body = store.byName(plural, namespace, name);
                return body == null ? new MockResponse().setResponseCode(404)
                        : new MockResponse().setResponseCode(200).setBody(body);
            }
            return new MockResponse().setResponseCode(200).setBody(page(plural, namespace, query));
        } finally {
            readLock.unlock();
        }
    }

    /** A list page; the first page takes a snapshot the following pages are cut from, as etcd serves them. */
    private String page(String plural, String namespace, Map<String, String> query) {
        long limit = query.containsKey("limit") ? Long.parseLong(query.get("limit")) : Long.MAX_VALUE;
        String token = query.get("continue");
        Snapshot snapshot;
        int offset;
        if (token == null || token.isEmpty()) {
            snapshot = new Snapshot(store.list(plural, namespace), String.valueOf(requestResourceVersion()));
            offset = 0;
        } else {
            String[] t = token.split(":");
            snapshot = snapshots.get(t[0]);
            offset = Integer.parseInt(t[1]);
            if (snapshot == null) {
                throw new IllegalStateException("unknown continue token " + token);
            }
        }
        int end = (int) Math.min(snapshot.items.size(), offset + limit);
        String next = "";
        if (end < snapshot.items.size()) {
            String id = token == null || token.isEmpty() ? String.valueOf(snapshotIds.incrementAndGet())
                    : token.split(":")[0];
            snapshots.put(id, snapshot);
            next = id + ":" + end;
        } else if (token != null && !token.isEmpty()) {
            snapshots.remove(token.split(":")[0]);
        }
        StringBuilder body = new StringBuilder(64 + (end - offset) * 64);
        body.append("{\"apiVersion\":\"v1\",\"kind\":\"List\",\"metadata\":{\"resourceVersion\":\"")
                .append(snapshot.resourceVersion).append('"');
        if (!next.isEmpty()) {
            body.append(",\"continue\":\"").append(next).append("\",\"remainingItemCount\":")
                    .append(snapshot.items.size() - end);
        }
        body.append("},\"items\":[");
        for (int i = offset; i < end; i++) {
            if (i > offset) {
                body.append(',');
            }
            body.append(snapshot.items.get(i));
        }
        return body.append("]}").toString();
    }

    private record Snapshot(List<String> items, String resourceVersion) {
    }

    @Override
    public Map.Entry<AttributeSet, String> findResource(AttributeSet query) {
        String plural = value(query, "plural");
        String name = value(query, "name");
        if (plural == null || name == null) {
            return super.findResource(query);
        }
        AttributeSet key = store.keyOf(plural, value(query, "namespace"), name);
        if (key == null || !key.matches(query)) {
            return null;
        }
        return new AbstractMap.SimpleImmutableEntry<>(key, store.get(key));
    }

    /** A watch without the mock's replay of every stored object: only changes after it started. */
    @Override
    public MockResponse handleWatch(String path) {
        MockResponse response = super.handleWatch(path);
        try {
            Object listener = response.getWebSocketListener();
            Field onOpen = listener.getClass().getDeclaredField("onOpenAction");
            onOpen.setAccessible(true);
            onOpen.set(listener, (Consumer<Object>) ignored -> { });
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this fabric8 mock version is not supported by the benchmark", e);
        }
        return response;
    }

    private static String group(String name) {
        String version = "{\"groupVersion\":\"" + name + "/v1\",\"version\":\"v1\"}";
        return "{\"name\":\"" + name + "\",\"versions\":[" + version + "],\"preferredVersion\":" + version + "}";
    }

    private static String value(AttributeSet set, String key) {
        Attribute a = set.getAttribute(key);
        return a == null || a.getValues().isEmpty() ? null : a.getValues().get(0).toString();
    }

    private static Map<String, String> query(String q) {
        Map<String, String> out = new HashMap<>();
        for (String pair : q.split("&")) {
            if (!pair.isEmpty()) {
                int eq = pair.indexOf('=');
                out.put(eq < 0 ? pair : pair.substring(0, eq),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    /** The mock's store with an index by kind, namespace and name kept beside it. */
    private static final class IndexedStore extends ConcurrentHashMap<AttributeSet, String> {
        private final Map<String, NavigableMap<String, AttributeSet>> byPlural = new ConcurrentHashMap<>();

        @Override
        public String put(AttributeSet key, String value) {
            String plural = value(key, "plural");
            String name = value(key, "name");
            if (plural != null && name != null) {
                byPlural.computeIfAbsent(plural, p -> new ConcurrentSkipListMap<>())
                        .put(id(value(key, "namespace"), name), key);
            }
            return super.put(key, value);
        }

        /** The mock removes "the previous version" of a created object too, which is null (a HashMap allows it). */
        @Override
        public String get(Object key) {
            return key == null ? null : super.get(key);
        }

        @Override
        public String remove(Object key) {
            if (key == null) {
                return null;
            }
            if (key instanceof AttributeSet set) {
                NavigableMap<String, AttributeSet> kind = byPlural.get(String.valueOf(value(set, "plural")));
                String name = value(set, "name");
                if (kind != null && name != null) {
                    kind.remove(id(value(set, "namespace"), name), set);
                }
            }
            return super.remove(key);
        }

        @Override
        public void clear() {
            byPlural.clear();
            super.clear();
        }

        AttributeSet keyOf(String plural, String namespace, String name) {
            NavigableMap<String, AttributeSet> kind = byPlural.get(plural);
            return kind == null ? null : kind.get(id(namespace, name));
        }

        String byName(String plural, String namespace, String name) {
            AttributeSet key = keyOf(plural, namespace, name);
            return key == null ? null : get(key);
        }

        List<String> list(String plural, String namespace) {
            NavigableMap<String, AttributeSet> kind = byPlural.getOrDefault(plural, new ConcurrentSkipListMap<>());
            Map<String, AttributeSet> scope = namespace == null ? kind : kind.subMap(namespace + "/", namespace + "0");
            List<String> items = new ArrayList<>(scope.size());
            for (AttributeSet key : scope.values()) {
                String json = get(key);
                if (json != null) {
                    items.add(json);
                }
            }
            return items;
        }

        private static String id(String namespace, String name) {
            return (namespace == null ? "" : namespace) + "/" + name;
        }
    }
}
