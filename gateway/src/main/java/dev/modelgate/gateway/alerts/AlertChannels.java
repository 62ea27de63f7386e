package dev.modelgate.gateway.alerts;

import dev.modelgate.gateway.config.AlertsConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Builds the configured channels: Alertmanager's v2 API and each webhook, each with its own circuit breaker. */
public final class AlertChannels {

    private static final Logger LOG = LoggerFactory.getLogger(AlertChannels.class);

    static final String ALERTMANAGER_PATH = "/api/v2/alerts";

    /**
     * Opens after half of the last 10 calls failed (at least 4), stays open 30 s, then lets 2 probes through.
     * A receiver that is down thus costs one fast failure per retry instead of one connect timeout.
     */
    private static final CircuitBreakerConfig BREAKER = CircuitBreakerConfig.custom()
            .slidingWindowSize(10)
            .minimumNumberOfCalls(4)
            .failureRateThreshold(50)
            .waitDurationInOpenState(Duration.ofSeconds(30))
            .permittedNumberOfCallsInHalfOpenState(2)
            .build();

    private AlertChannels() {
    }

    /** The configured channels, sharing one HTTP client that lives as long as {@code vertx}. */
    public static List<AlertChannel> create(Vertx vertx, AlertsConfig config) {
        WebClient client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(2_000).setUserAgent("modelgate"));
        return create(vertx, client, config, RetryPolicy.defaults());
    }

    /** Hands a notification to every channel; failures are logged by the channels themselves. */
    public static void deliver(List<AlertChannel> channels, Notification notification) {
        for (AlertChannel channel : channels) {
            channel.deliver(notification).onFailure(e -> LOG.debug("{}: {}", channel.name(), e.getMessage()));
        }
    }

    public static List<AlertChannel> create(Vertx vertx, WebClient client, AlertsConfig config, RetryPolicy retry) {
        List<AlertChannel> channels = new ArrayList<>();
        if (!config.alertmanagerUrl().isEmpty()) {
            String url = stripTrailingSlash(config.alertmanagerUrl()) + ALERTMANAGER_PATH;
            channels.add(new HttpAlertChannel("alertmanager " + url, vertx, client, url,
                    alert -> alert.alertmanagerBody().toBuffer(), CircuitBreaker.of("alertmanager", BREAKER), retry));
        }
        for (int i = 0; i < config.webhooks().size(); i++) {
            AlertsConfig.Webhook hook = config.webhooks().get(i);
            // named by position and host only: a webhook URL often carries its credential (Slack's path is the secret)
            channels.add(new HttpAlertChannel("webhook " + i + " (" + java.net.URI.create(hook.url()).getHost() + ")", vertx, client, hook.url(),
                    alert -> alert.webhookBody(hook.slack()).toBuffer(), CircuitBreaker.of("webhook-" + i, BREAKER), retry));
        }
        return channels;
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
