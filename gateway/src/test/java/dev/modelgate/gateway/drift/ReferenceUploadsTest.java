package dev.modelgate.gateway.drift;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.gateway.privacy.FeatureMasks;
import dev.modelgate.drift.profile.NumericProfile;
import dev.modelgate.gateway.telemetry.TestClickHouse;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseSchema;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A reference taken from logged traffic, against a real ClickHouse. */
class ReferenceUploadsTest {

    private static final DriftTarget V1 = new DriftTarget("m", "v1", List.of("a"), List.of("p"));

    private TestClickHouse clickHouse;

    @BeforeEach
    void setUp() throws Exception {
        clickHouse = TestClickHouse.withPredictionsTable();
        new ClickHouseSchema(DriftTables.ALL).apply(clickHouse.connection());
    }

    @AfterEach
    void tearDown() throws Exception {
        clickHouse.close();
    }

    @Test
    void aTrafficReferenceOfNRowsHoldsNRowsWhateverTheBatchSizeOfTheRequests() throws Exception {
        LoggedPredictions log = new LoggedPredictions(clickHouse.connection(), clickHouse.predictions());
        Instant start = Instant.parse("2026-03-01T12:00:00Z");
        for (int request = 0; request < 10; request++) {
            List<Map<String, Double>> inputs = new ArrayList<>();
            List<Map<String, Double>> outputs = new ArrayList<>();
            for (int row = 0; row < 50; row++) {
                inputs.add(Map.of("a", (double) (request * 50 + row)));
                outputs.add(Map.of("p", 0.5));
            }
            log.addBatch(start.plusSeconds(request), "m", "v1", "primary", 200, inputs, outputs);
        }
        log.flush();
        ReferenceStore store = new ReferenceStore(clickHouse.connection(), Clock.systemUTC());
        ReferenceUploads uploads = new ReferenceUploads(store, clickHouse.connection(), new PredictionQueries(clickHouse.predictions()),
                FeatureMasks.NONE);

        ReferenceUploads.Stored stored = uploads.fromTraffic(List.of(V1), "m", "v1", 100, 0);

        assertThat(stored.rows()).isEqualTo(100);
        NumericProfile a = (NumericProfile) store.latest("m", "v1").orElseThrow().feature("a");
        assertThat(a.count()).as("the first 100 rows: the first two requests").isEqualTo(100);
        assertThat(a.max()).isEqualTo(99.0);
    }
}
