package dev.modelgate.inference.remote;

import dev.modelgate.inference.CallerContext;
import dev.modelgate.inference.InferenceException;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;

import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * One backend's HTTP client: Vert.x's core {@link io.vertx.core.http.HttpClient}, one per calling event
 * loop ({@link EventLoopClients}), with keep-alive pools to one server. The core client rather than
 * WebClient because this is the hot path of every remote inference and we need none of WebClient's
 * codecs, interceptors and per-call context objects.
 * It turns what can go wrong on the wire into {@link InferenceException}s: no answer in time is
 * {@code TIMEOUT}; anything else that stops the exchange (refused or timed-out connection, reset) is
 * {@code BACKEND_FAILURE} with the original exception as cause, so a retry policy can tell a request
 * that never left ({@link java.net.ConnectException}) from one that may have reached the server.
 * HTTP statuses are not judged here: every answer, 2xx or not, is returned.
 * An exchange is one promise of the caller's context completed from the client's callbacks, not a chain of
 * composed futures: each stage of such a chain is a future, a listener and a dispatch more per request.
 */
public final class HttpTransport implements AutoCloseable {

    private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");

    private final Vertx vertx;
    private final OffLoopCalls offLoopCalls;
    private final RemoteEndpoint endpoint;
    private final EventLoopClients clients;
    private final String prefix;

    private HttpTransport(Vertx vertx, OffLoopCalls offLoopCalls, RemoteEndpoint endpoint, EventLoopClients clients) {
        this.vertx = vertx;
        this.offLoopCalls = offLoopCalls;
        this.endpoint = endpoint;
        this.clients = clients;
        this.prefix = endpoint.pathPrefix();
    }

    public static HttpTransport create(Vertx vertx, RemoteEndpoint endpoint) {
        HttpClientOptions options = new HttpClientOptions()
                .setDefaultHost(endpoint.baseUri().getHost())
                .setDefaultPort(endpoint.port())
                .setSsl(endpoint.isTls())
                .setKeepAlive(true)
                .setConnectTimeout(Math.toIntExact(endpoint.connectTimeout().toMillis()));
        // the host name is verified against the certificate (Vert.x's default), as a browser would
        endpoint.tls().caFile().ifPresent(ca -> options.setTrustOptions(new PemTrustOptions().addCertPath(ca.toString())));
        endpoint.tls().certFile().ifPresent(cert -> options.setKeyCertOptions(new PemKeyCertOptions()
                .setCertPath(cert.toString()).setKeyPath(endpoint.tls().keyFile().orElseThrow().toString())));
        return new HttpTransport(vertx, OffLoopCalls.create(vertx), endpoint,
                EventLoopClients.create(vertx, options, endpoint.maxPoolSize()));
    }

    /** GET {@code path} (relative to the base URI). */
    public Future<HttpReply> get(String path) {
        return send(HttpMethod.GET, path, null);
    }

    /** Sends {@code body} (JSON; none when null) and returns the server's answer, whatever its status. */
    public Future<HttpReply> send(HttpMethod method, String path, Buffer body) {
        return send(method, path, body, Function.identity());
    }

    /**
     * Sends {@code body} (JSON; none when null) and returns the server's answer, whatever its status, as
     * {@code reader} reads it on arrival; what the reader throws fails the call.
     */
    public <T> Future<T> send(HttpMethod method, String path, Buffer body, Function<HttpReply, T> reader) {
        return offLoopCalls.run(() -> exchange(method, path, body, reader));
    }

    private <T> Future<T> exchange(HttpMethod method, String path, Buffer body, Function<HttpReply, T> reader) {
        // setTimeout bounds both the wait for a pooled connection and the server's silence once sent
        RequestOptions request = new RequestOptions()
                .setMethod(method)
                .setURI(prefix + path)
                .setTimeout(endpoint.requestTimeout().toMillis());
        Exchange<T> exchange = new Exchange<>(path, body, reader, CallerContext.promise(vertx));
        clients.current().request(request).onComplete(exchange::opened);
        return exchange.answer.future();
    }

    /** One request's steps, each on the client's callback: open a connection, send, read the whole answer. */
    private final class Exchange<T> {

        private final String path;
        private final Buffer body;
        private final Function<HttpReply, T> reader;
        private final Promise<T> answer;

        Exchange(String path, Buffer body, Function<HttpReply, T> reader, Promise<T> answer) {
            this.path = path;
            this.body = body;
            this.reader = reader;
            this.answer = answer;
        }

        void opened(AsyncResult<HttpClientRequest> opened) {
            if (opened.failed()) {
                answer.fail(wireFailure(path, opened.cause()));
                return;
            }
            Future<HttpClientResponse> sent;
            try {
                sent = body == null ? opened.result().send() : json(opened.result()).send(body);
            } catch (RuntimeException refused) {
                answer.fail(wireFailure(path, refused));
                return;
            }
            sent.onComplete(this::responded);
        }

        private void responded(AsyncResult<HttpClientResponse> responded) {
            if (responded.failed()) {
                answer.fail(wireFailure(path, responded.cause()));
                return;
            }
            HttpClientResponse response = responded.result();
            response.body().onComplete(read -> {
                if (read.failed()) {
                    answer.fail(wireFailure(path, read.cause()));
                    return;
                }
                T result;
                try {
                    result = reader.apply(new HttpReply(response.statusCode(), read.result()));
                } catch (RuntimeException unreadable) {
                    answer.fail(unreadable);
                    return;
                }
                answer.complete(result);
            });
        }
    }

    private static HttpClientRequest json(HttpClientRequest request) {
        return request.putHeader(HttpHeaders.CONTENT_TYPE, JSON);
    }

    private InferenceException wireFailure(String path, Throwable failure) {
        String where = endpoint.baseUri() + path;
        if (failure instanceof TimeoutException) {
            return new InferenceException(InferenceException.Kind.TIMEOUT,
                    "no answer from " + where + " within " + endpoint.requestTimeout().toMillis() + " ms", failure);
        }
        return new InferenceException(InferenceException.Kind.BACKEND_FAILURE,
                "cannot reach " + where + ": " + failure, failure);
    }

    @Override
    public void close() {
        clients.close();
    }
}
