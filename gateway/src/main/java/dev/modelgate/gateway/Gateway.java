package dev.modelgate.gateway;

import dev.modelgate.gateway.api.ApiVerticle;
import dev.modelgate.gateway.api.InferenceHandler;
import dev.modelgate.gateway.api.MetadataHandlers;
import dev.modelgate.gateway.api.PredictionEventFactory;
import dev.modelgate.gateway.config.GatewayConfig;
import dev.modelgate.gateway.config.TelemetryConfig;
import dev.modelgate.gateway.metrics.GatewayMetrics;
import dev.modelgate.gateway.routing.RequestRouter;
import dev.modelgate.gateway.serving.LocalBackendLoader;
import dev.modelgate.gateway.serving.ModelRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running gateway: the models it serves, its event log and its HTTP listeners. Start-up order is
 * models (a model that cannot load fails the start), then the event log, then the listeners, so
 * that nothing is accepted before it can be served and logged; shutdown runs the other way round.
 */
public final class Gateway {

    public static final String VERSION = "0.1.0";

    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    private final Vertx vertx;
    private final ModelRegistry models;
    private final GatewayMetrics metrics;
    private final PredictionLog eventLog;
    private final String deploymentId;

    private Gateway(Vertx vertx, ModelRegistry models, GatewayMetrics metrics, PredictionLog eventLog, String deploymentId) {
        this.vertx = vertx;
        this.models = models;
        this.metrics = metrics;
        this.eventLog = eventLog;
        this.deploymentId = deploymentId;
    }

    public static Future<Gateway> start(Vertx vertx, GatewayConfig config) {
        GatewayMetrics metrics = new GatewayMetrics(config.instanceId());
        return ModelRegistry.load(config.models().values(), new LocalBackendLoader(vertx))
                .compose(models -> PredictionLog.open(vertx, config, metrics.registry())
                        .compose(eventLog -> deploy(vertx, config, models, metrics, eventLog)
                                .onFailure(e -> {
                                    eventLog.close();
                                    models.close();
                                })))
                .onSuccess(gateway -> LOG.info("modelgate {} listening on {}:{} ({} models)", VERSION,
                        config.server().host(), config.server().port(), gateway.models.models().size()));
    }

    private static Future<Gateway> deploy(Vertx vertx, GatewayConfig config, ModelRegistry models,
                                          GatewayMetrics metrics, PredictionLog eventLog) {
        TelemetryConfig telemetry = config.telemetry();
        var events = new PredictionEventFactory(config.instanceId(), telemetry.maxLoggedValues(), telemetry.requestJsonMaxBytes());
        var inference = new InferenceHandler(models, new RequestRouter(), metrics, events, eventLog::offer);
        var metadata = new MetadataHandlers(models, VERSION);
        int listeners = Runtime.getRuntime().availableProcessors();
        return vertx.deployVerticle(() -> new ApiVerticle(config.server(), inference, metadata, metrics, List.of()),
                        new DeploymentOptions().setInstances(listeners))
                .map(id -> new Gateway(vertx, models, metrics, eventLog, id));
    }

    public ModelRegistry models() {
        return models;
    }

    public GatewayMetrics metrics() {
        return metrics;
    }

    /** Stops accepting requests, lets in-flight ones finish, flushes the event log, releases models. */
    public Future<Void> stop() {
        return vertx.undeploy(deploymentId)
                .eventually(() -> vertx.executeBlocking(() -> {
                    eventLog.close();
                    models.close();
                    metrics.close();
                    return null;
                }))
                .mapEmpty();
    }
}
