package dev.modelgate.gateway.batch;

import dev.modelgate.drift.evaluate.DriftSettings;
import dev.modelgate.gateway.drift.ReferenceStore;
import dev.modelgate.gateway.routing.RequestRouter;
import dev.modelgate.gateway.serving.FeatureColumns;
import dev.modelgate.gateway.serving.ModelRegistry;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseConnection;
import java.time.Clock;
import java.util.Optional;

/**
 * What a batch job uses of the gateway: the loaded models and the router online requests go through,
 * ClickHouse (its own connection, whose timeout allows a long streamed read) with the stored reference
 * profiles, and the drift monitor's settings. The CLI builds one from the configuration; a running
 * gateway shares its models and router.
 *
 * @param clickHouse empty when telemetry is disabled: no jobs table, no ClickHouse source or sink, no drift check
 */
public record BatchEnvironment(ModelRegistry models, RequestRouter router, Optional<ClickHouseConnection> clickHouse,
                               Optional<ReferenceStore> references, DriftSettings drift, FeatureColumns featureColumns,
                               String instanceId, JobMetrics metrics, Clock clock) {}
