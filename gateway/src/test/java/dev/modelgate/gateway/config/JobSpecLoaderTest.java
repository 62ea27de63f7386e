package dev.modelgate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JobSpecLoaderTest {

    private static final Path BASE = Path.of("/jobs");

    private static JobSpec parse(String yaml) {
        return JobSpecLoader.parse(YamlTree.parse(yaml, "job.yaml"), BASE, Optional.empty());
    }

    @Test
    void aMinimalSpecScoresTheDefaultVariantIntoBatchPredictionsWithTheDocumentedDefaults() {
        JobSpec spec = parse("""
                id: nightly
                model: fraud-score
                key_column: id
                source: {type: parquet, path: data/x.parquet}
                """);
        assertThat(spec.variant()).isEmpty();
        assertThat(spec.experiment()).isEmpty();
        assertThat(spec.source().path()).contains(Path.of("/jobs/data/x.parquet"));
        assertThat(spec.sinks().table()).contains("batch_predictions");
        assertThat(spec.sinks().folder()).isEmpty();
        assertThat(List.of(spec.batchSize(), spec.chunkRows(), spec.concurrency())).containsExactly(1024, 50_000, 2);
        assertThat(spec.quality().enabled()).isTrue();
        assertThat(spec.quality().drift()).isEqualTo("fail");
        assertThat(spec.document().path("id").asText()).isEqualTo("nightly");
    }

    @Test
    void onlyAFolderMeansNoClickHouseTable() {
        JobSpec spec = parse("""
                model: m
                key_column: id
                source: {type: csv, path: in.csv}
                sink: {folder: out}
                """);
        assertThat(spec.sinks().table()).isEmpty();
        assertThat(spec.sinks().folder()).contains(Path.of("/jobs/out"));
        assertThat(spec.id()).isNotBlank(); // generated
    }

    @Test
    void mistakesAreNamedByTheirKey() {
        assertThatThrownBy(() -> parse("model: m\nkey_column: id\nexperiment: ab\nsource: {type: parquet, path: x}\n"))
                .hasMessage("unit_id_column: is required with an experiment: rows are assigned by their unit id");
        assertThatThrownBy(() -> parse("model: m\nkey_column: id\nvariant: v1\nexperiment: ab\nunit_id_column: u\nsource: {type: parquet, path: x}\n"))
                .hasMessage("experiment: give a variant or an experiment, not both");
        assertThatThrownBy(() -> parse("model: m\nkey_column: id\nsource: {type: clickhouse, path: x}\n"))
                .hasMessage("source.path: is for files; a clickhouse source has a query");
        assertThatThrownBy(() -> parse("model: m\nkey_column: id\nsource: {type: parquet, path: x}\nchunk_rows: 2000000\n"))
                .hasMessage("chunk_rows: must be between 1 and 200000, got 2000000");
        assertThatThrownBy(() -> parse("model: m\nkey_column: id\nsource: {type: parquet, path: x}\nquality: {ranges: {amount: [5, 1]}}\n"))
                .hasMessage("quality.ranges.amount: min must not be above max");
        assertThatThrownBy(() -> parse("model: m\nkey_colum: id\nsource: {type: parquet, path: x}\n"))
                .hasMessageStartingWith("key_colum: unknown key");
        assertThatThrownBy(() -> parse("id: ../etc\nmodel: m\nkey_column: id\nsource: {type: parquet, path: x}\n"))
                .hasMessageStartingWith("id: must be 1-128 letters");
    }
}
