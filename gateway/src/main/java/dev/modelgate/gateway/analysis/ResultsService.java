package dev.modelgate.gateway.analysis;

import dev.modelgate.gateway.state.ExperimentStore;
import dev.modelgate.gateway.state.StoredExperiment;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseCallException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** Computes an experiment's results now, from this replica's view of the store and ClickHouse. Blocks. */
public final class ResultsService {

    private final ExperimentStore store;
    /** Empty when telemetry is disabled: nothing is logged, so nothing can be analysed. */
    private final Optional<UnitAggregation> aggregation;
    private final ExperimentAnalyzer analyzer;
    private final SrmGauges gauges;
    private final Clock clock;

    ResultsService(ExperimentStore store, Optional<UnitAggregation> aggregation, ExperimentAnalyzer analyzer, SrmGauges gauges,
                   Clock clock) {
        this.store = store;
        this.aggregation = aggregation;
        this.analyzer = analyzer;
        this.gauges = gauges;
        this.clock = clock;
    }

    /**
     * @return empty when no experiment has that name
     * @throws IllegalStateException for a shadow experiment, which splits no units
     */
    public Optional<ExperimentResults> compute(String name) throws AnalysisUnavailableException {
        Optional<StoredExperiment> experiment = store.find(name);
        if (experiment.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(compute(experiment.get()));
    }

    ExperimentResults compute(StoredExperiment experiment) throws AnalysisUnavailableException {
        AnalysisScope scope = AnalysisScope.of(experiment).orElseThrow(() -> new IllegalStateException(
                "experiment '" + experiment.name() + "' is a " + experiment.spec().kind().wireName()
                        + " experiment: it splits no units between variants, so it has no results"));
        if (aggregation.isEmpty()) {
            throw new AnalysisUnavailableException("telemetry is disabled: no traffic is logged to analyse", null);
        }
        List<VariantTotals> totals;
        try {
            totals = aggregation.get().read(scope);
        } catch (ClickHouseCallException e) {
            throw new AnalysisUnavailableException("ClickHouse unavailable: " + e.getMessage(), e);
        }
        ExperimentResults results = analyzer.analyze(scope, totals, clock.millis());
        gauges.update(results);
        return results;
    }

    Iterable<StoredExperiment> experiments() {
        return store.all().values();
    }

    void forgetDeleted() {
        gauges.forgetAllBut(store.all().keySet());
    }
}
