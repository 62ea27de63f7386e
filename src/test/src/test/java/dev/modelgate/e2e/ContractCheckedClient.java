package dev.modelgate.e2e;

import dev.modelgate.gateway.api.OpenApiContract;
import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The suite's HTTP client to a gateway: every answer it receives is checked against the gateway's
 * {@code openapi.json} ({@link OpenApiContract}) before the test sees it, so each end-to-end call is
 * also a test of the document. A violation fails the call with the validator's messages.
 */
final class ContractCheckedClient extends HttpClient {

    private final HttpClient client;
    private final OpenApiContract contract = OpenApiContract.gateway();

    ContractCheckedClient(HttpClient client) {
        this.client = client;
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException, InterruptedException {
        return checked(client.send(request, handler));
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        return client.sendAsync(request, handler).thenApply(this::checked);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
                                                            HttpResponse.PushPromiseHandler<T> push) {
        return client.sendAsync(request, handler, push).thenApply(this::checked);
    }

    private <T> HttpResponse<T> checked(HttpResponse<T> response) {
        if (!(response.body() instanceof String body)) {
            throw new AssertionError("the OpenAPI check needs the body as a String (BodyHandlers.ofString()), got "
                    + (response.body() == null ? "null" : response.body().getClass().getName()));
        }
        contract.check(response.request().method(), response.request().uri().getRawPath(), response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(null), body);
        return response;
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
        return client.cookieHandler();
    }

    @Override
    public Optional<Duration> connectTimeout() {
        return client.connectTimeout();
    }

    @Override
    public Redirect followRedirects() {
        return client.followRedirects();
    }

    @Override
    public Optional<ProxySelector> proxy() {
        return client.proxy();
    }

    @Override
    public SSLContext sslContext() {
        return client.sslContext();
    }

    @Override
    public SSLParameters sslParameters() {
        return client.sslParameters();
    }

    @Override
    public Optional<Authenticator> authenticator() {
        return client.authenticator();
    }

    @Override
    public Version version() {
        return client.version();
    }

    @Override
    public Optional<Executor> executor() {
        return client.executor();
    }
}
