package dev.modelgate.gateway.config;

import java.util.Map;

/**
 * The whole, validated configuration of one gateway process.
 *
 * @param instanceId names this replica in logs and events
 */
public record GatewayConfig(
        String instanceId,
        ServerConfig server,
        Map<String, ModelConfig> models,
        ClickHouseConfig clickhouse,
        TelemetryConfig telemetry,
        DriftConfig drift,
        AlertsConfig alerts,
        StateConfig state,
        ExperimentsConfig experiments,
        QualityConfig quality,
        PrivacyConfig privacy,
        AuthConfig auth) {

    public GatewayConfig {
        models = Map.copyOf(models);
    }
}
