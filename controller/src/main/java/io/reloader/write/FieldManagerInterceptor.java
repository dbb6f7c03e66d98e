package io.reloader.write;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Adds {@code fieldManager=<name>} to every create, update and patch the client sends (docs/compatibility.md#field-manager), so no write
 * path can forget it. Requests that already name a field manager are left alone.
 */
public final class FieldManagerInterceptor implements Interceptor {
    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH");

    private final String fieldManager;

    public FieldManagerInterceptor(String fieldManager) {
        this.fieldManager = fieldManager;
    }

    @Override
    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        if (!WRITES.contains(request.method())) {
            return;
        }
        builder.uri(withFieldManager(request.uri(), fieldManager));
    }

    static URI withFieldManager(URI uri, String fieldManager) {
        String query = uri.getRawQuery();
        if (query != null && (query.startsWith("fieldManager=") || query.contains("&fieldManager="))) {
            return uri;
        }
        String param = "fieldManager=" + URLEncoder.encode(fieldManager, StandardCharsets.UTF_8);
        String s = uri.toString();
        int hash = s.indexOf('#');
        String fragment = hash >= 0 ? s.substring(hash) : "";
        String base = hash >= 0 ? s.substring(0, hash) : s;
        return URI.create(base + (query == null ? "?" : "&") + param + fragment);
    }
}
