package dev.modelgate.inference.remote;

import dev.modelgate.inference.InferenceException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.util.concurrent.TimeoutException;

/**
 * One backend's HTTP client: a non-blocking Vert.x {@link WebClient} with a keep-alive pool to one
 * server. It turns what can go wrong on the wire into {@link InferenceException}s: no answer in time is
 * {@code TIMEOUT}; anything else that stops the exchange (refused or timed-out connection, reset) is
 * {@code BACKEND_FAILURE} with the original exception as cause, so a retry policy can tell a request
 * that never left ({@link java.net.ConnectException}) from one that may have reached the server.
 * HTTP statuses are not judged here: every answer, 2xx or not, is returned.
 */
public final class HttpTransport implements AutoCloseable {

    private static final String JSON = "application/json";

    private final RemoteEndpoint endpoint;
    private final WebClient client;
    private final String prefix;

    private HttpTransport(RemoteEndpoint endpoint, WebClient client) {
        this.endpoint = endpoint;
        this.client = client;
        this.prefix = endpoint.pathPrefix();
    }

    public static HttpTransport create(Vertx vertx, RemoteEndpoint endpoint) {
        WebClientOptions options = new WebClientOptions()
                .setDefaultHost(endpoint.baseUri().getHost())
                .setDefaultPort(endpoint.port())
                .setSsl(endpoint.isTls())
                .setKeepAlive(true)
                .setConnectTimeout(Math.toIntExact(endpoint.connectTimeout().toMillis()))
                // model servers answer with JSON we parse anyway; no redirects to chase on the hot path
                .setFollowRedirects(false)
                .setUserAgentEnabled(false);
        PoolOptions pool = new PoolOptions().setHttp1MaxSize(endpoint.maxPoolSize());
        return new HttpTransport(endpoint, WebClient.create(vertx, options, pool));
    }

    /** GET {@code path} (relative to the base URI). */
    public Future<HttpResponse<Buffer>> get(String path) {
        return send(HttpMethod.GET, path, null);
    }

    /** Sends {@code body} (JSON; none when null) and returns the server's answer, whatever its status. */
    public Future<HttpResponse<Buffer>> send(HttpMethod method, String path, Buffer body) {
        HttpRequest<Buffer> request = client.request(method, prefix + path)
                .timeout(endpoint.requestTimeout().toMillis());
        Future<HttpResponse<Buffer>> sent;
        if (body == null) {
            sent = request.send();
        } else {
            sent = request.putHeader("content-type", JSON).sendBuffer(body);
        }
        return sent.recover(failure -> Future.failedFuture(wireFailure(path, failure)));
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
        client.close();
    }
}
