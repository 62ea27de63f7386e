package dev.modelgate.gateway.feedback;

import dev.modelgate.gateway.api.ApiException;
import dev.modelgate.gateway.api.Callers;
import dev.modelgate.gateway.api.ErrorResponses;
import dev.modelgate.gateway.telemetry.FeedbackEvent;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code POST /v1/feedback}: validates the whole body, then hands every item to the feedback table's
 * no-loss writer and answers 202 with the count. 202, not 200: the rows reach ClickHouse with the next
 * batch (or the spool, if ClickHouse is down), not before the response.
 */
public final class FeedbackHandler implements Handler<RoutingContext> {

    private final FeedbackParser parser;
    private final Consumer<FeedbackEvent> writer;
    private final Clock clock;

    /** @param writer never blocks (the gateway's batch writer) */
    public FeedbackHandler(FeedbackParser parser, Consumer<FeedbackEvent> writer, Clock clock) {
        this.parser = parser;
        this.writer = writer;
        this.clock = clock;
    }

    @Override
    public void handle(RoutingContext ctx) {
        List<FeedbackEvent> events;
        try {
            events = parser.parse(ctx.body().asString(), clock.millis());
        } catch (ApiException e) {
            ErrorResponses.send(ctx, e.status(), e.getMessage());
            return;
        }
        String apiKey = Callers.keyName(ctx);
        events.forEach(event -> writer.accept(apiKey.isEmpty() ? event : event.withApiKey(apiKey)));
        ctx.response().setStatusCode(202).putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("accepted", events.size()).encode());
    }
}
