package dev.modelgate.gateway.api;

import dev.modelgate.gateway.serving.ModelRegistry;
import dev.modelgate.gateway.serving.ServedModel;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The rows of infer requests that failed before {@link InferenceHandler} answered them: a body over
 * the limit (the body handler's 413), a request Vert.x could not parse (400, sometimes before any
 * route matched, so the model is read from the path here), an exception (500). Each gets its
 * {@code X-Request-Id} and one row, so the log holds every answered request to a known model. Requests
 * already answered were logged by the handler; other paths and unknown models get no row.
 */
final class EarlyRejections {

    private static final String PREFIX = "/v2/models/";
    private static final String SUFFIX = "/infer";
    private static final byte[] NO_BODY = new byte[0];

    private final ModelRegistry models;
    private final ExchangeLog log;

    EarlyRejections(ModelRegistry models, ExchangeLog log) {
        this.models = models;
        this.log = log;
    }

    /** Logs the request's row and sets its request id header, if it is an unanswered infer call to a known model. */
    void record(RoutingContext ctx, int status, String message) {
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.closed() || ctx.request().method() != HttpMethod.POST) {
            return;
        }
        Optional<ServedModel> model = modelName(ctx.request().path()).flatMap(models::find);
        if (model.isEmpty()) {
            return;
        }
        String requestId = response.headers().get(InferenceHandler.REQUEST_ID_HEADER);
        if (requestId == null) {
            requestId = RequestIds.next();
            response.putHeader(InferenceHandler.REQUEST_ID_HEADER, requestId);
        }
        Buffer body = ctx.body().buffer();
        // the handler may never have started: there is no arrival time to measure a latency from
        log.record(InferenceExchange.rejected(requestId, System.currentTimeMillis(), model.get(),
                ctx.request().getHeader(InferenceHandler.UNIT_ID_HEADER), body == null ? NO_BODY : body.getBytes(),
                status, message, 0, InferenceExchange.REST, Callers.keyName(ctx)));
    }

    /**
     * The {@code model} of {@code /v2/models/{model}/infer}, decoded as the router decodes it. Read from
     * the raw path: normalizing it throws on the malformed escapes that some of these requests carry.
     */
    private static Optional<String> modelName(String path) {
        if (path == null || !path.startsWith(PREFIX) || !path.endsWith(SUFFIX)
                || path.length() <= PREFIX.length() + SUFFIX.length()) {
            return Optional.empty();
        }
        String segment = path.substring(PREFIX.length(), path.length() - SUFFIX.length());
        if (segment.indexOf('/') >= 0) {
            return Optional.empty();
        }
        try {
            // a path keeps '+' as it is; URLDecoder would read it as a space
            return Optional.of(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException malformedEscape) {
            return Optional.empty();
        }
    }
}
