package io.reloader.kube;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.WebSocket;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * An HTTP client factory whose clients complete responses on {@code worker} instead of the network event loop.
 * fabric8 parses a response (a list page of 500 Secrets is megabytes of JSON) and fills informer stores in
 * the stages that follow the response future; run on the event loop, that work delays every other response
 * and watch event behind it. Streams (watches) are left as they are: their messages are small.
 */
public final class OffLoopHttpClientFactory implements HttpClient.Factory {
    private final HttpClient.Factory delegate;
    private final Executor worker;

    public OffLoopHttpClientFactory(HttpClient.Factory delegate, Executor worker) {
        this.delegate = delegate;
        this.worker = worker;
    }

    @Override
    public HttpClient.Builder newBuilder() {
        HttpClient.Builder builder = delegate.newBuilder();
        return (HttpClient.Builder) Proxy.newProxyInstance(HttpClient.Builder.class.getClassLoader(),
                new Class<?>[] {HttpClient.Builder.class}, new BuilderHandler(builder));
    }

    @Override
    public int priority() {
        return delegate.priority();
    }

    /** Forwards every builder call; {@code build()} wraps the client, calls that return the builder return us. */
    private final class BuilderHandler implements InvocationHandler {
        private final Object builder;

        BuilderHandler(Object builder) {
            this.builder = builder;
        }

        @Override
        public Object invoke(Object proxy, java.lang.reflect.Method method, Object[] args) throws Throwable {
            Object result;
            try {
                result = method.invoke(builder, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (result instanceof HttpClient client && method.getName().equals("build")) {
                return new OffLoopClient(client);
            }
            return result == builder ? proxy : result;
        }
    }

    private final class OffLoopClient implements HttpClient {
        private final HttpClient client;

        OffLoopClient(HttpClient client) {
            this.client = client;
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, Class<T> type) {
            return client.sendAsync(request, type).thenApplyAsync(r -> r, worker);
        }

        @Override
        public CompletableFuture<HttpResponse<AsyncBody>> consumeBytes(HttpRequest request,
                                                                      AsyncBody.Consumer<List<ByteBuffer>> consumer) {
            return client.consumeBytes(request, consumer);
        }

        @Override
        public DerivedClientBuilder newBuilder() {
            DerivedClientBuilder builder = client.newBuilder();
            return (DerivedClientBuilder) Proxy.newProxyInstance(DerivedClientBuilder.class.getClassLoader(),
                    new Class<?>[] {DerivedClientBuilder.class}, new BuilderHandler(builder));
        }

        @Override
        public WebSocket.Builder newWebSocketBuilder() {
            return client.newWebSocketBuilder();
        }

        @Override
        public HttpRequest.Builder newHttpRequestBuilder() {
            return client.newHttpRequestBuilder();
        }

        @Override
        public boolean isClosed() {
            return client.isClosed();
        }

        @Override
        public void close() {
            client.close();
        }
    }
}
