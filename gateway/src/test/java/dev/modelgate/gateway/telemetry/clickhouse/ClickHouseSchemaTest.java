package dev.modelgate.gateway.telemetry.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.gateway.telemetry.PredictionsTable;
import dev.modelgate.gateway.telemetry.TestClickHouse;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ClickHouseSchemaTest {

    private TestClickHouse clickHouse;

    @BeforeEach
    void freshDatabase() {
        clickHouse = TestClickHouse.empty();
    }

    @AfterEach
    void dropDatabase() throws Exception {
        clickHouse.close();
    }

    @Test
    void createsThePredictionsTableWithEveryDeclaredColumnAndCanRunTwice() throws Exception {
        ClickHouseSchema schema = new ClickHouseSchema(List.of(PredictionsTable.DEFINITION));

        schema.apply(clickHouse.connection());
        schema.apply(clickHouse.connection());

        assertThat(columns()).containsExactlyElementsOf(PredictionsTable.DEFINITION.columns().stream()
                .map(c -> c.name() + " " + c.type()).collect(Collectors.toList()));
        List<JsonNode> engine = clickHouse.query("SELECT engine FROM system.tables WHERE database = "
                + SqlLiterals.quote(clickHouse.settings().database()) + " AND name = 'predictions'");
        assertThat(engine).singleElement().satisfies(row -> assertThat(row.path("engine").asText()).isEqualTo("MergeTree"));
    }

    @Test
    void addsColumnsThatAnOlderTableLacks() throws Exception {
        TableDefinition v1 = new TableDefinition("feedback", List.of(ColumnDefinition.of("request_id", "String"),
                ColumnDefinition.of("event_time", "DateTime")), "ENGINE = MergeTree() ORDER BY event_time");
        new ClickHouseSchema(List.of(v1)).apply(clickHouse.connection());
        clickHouse.connection().execute("INSERT INTO " + clickHouse.settings().qualify("feedback")
                + " VALUES ('r1', toDateTime(1714979289))");

        TableDefinition v2 = new TableDefinition("feedback", List.of(ColumnDefinition.of("request_id", "String"),
                ColumnDefinition.of("event_time", "DateTime"), ColumnDefinition.of("metric", "String"),
                ColumnDefinition.withDefault("value", "Float64", "1")), v1.engine());
        new ClickHouseSchema(List.of(v2)).apply(clickHouse.connection());

        List<JsonNode> rows = clickHouse.query("SELECT request_id, metric, value FROM "
                + clickHouse.settings().qualify("feedback"));
        assertThat(rows).singleElement().satisfies(row -> {
            assertThat(row.path("request_id").asText()).isEqualTo("r1");
            assertThat(row.path("metric").asText()).isEmpty();
            assertThat(row.path("value").asDouble()).isEqualTo(1.0);
        });
    }

    @Test
    void refusesNamesThatWouldNeedQuotingInDdl() {
        assertThatThrownBy(() -> ColumnDefinition.of("drop table", "String"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("column name");
        assertThatThrownBy(() -> ClickHouseSettings.defaults().withDatabase("a;b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("database");
    }

    private List<String> columns() throws ClickHouseCallException {
        return clickHouse.query("SELECT name, type FROM system.columns WHERE database = "
                        + SqlLiterals.quote(clickHouse.settings().database()) + " AND table = 'predictions'")
                .stream().map(row -> row.path("name").asText() + " " + row.path("type").asText())
                .collect(Collectors.toList());
    }
}
