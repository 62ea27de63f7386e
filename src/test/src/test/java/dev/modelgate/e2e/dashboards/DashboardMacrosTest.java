package dev.modelgate.e2e.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The expansions the live dashboard test relies on, in the form the ClickHouse plugin sends them, and
 * the refusals that keep dashboards inside what ClickHouse 18.16 runs. Epoch seconds from:
 * <pre>
 * python3 -c "import datetime; u=datetime.timezone.utc
 * print(int(datetime.datetime(2024,3,1,23,30,tzinfo=u).timestamp()), int(datetime.datetime(2024,3,2,0,30,tzinfo=u).timestamp()))"
 * 1709335800 1709339400
 * </pre>
 */
class DashboardMacrosTest {

    // a range across midnight UTC, so the date filter spans two days
    private final ClickHouseMacros macros = new ClickHouseMacros(new ClickHouseMacros.Scope(
            Instant.parse("2024-03-01T23:30:00Z"), Instant.parse("2024-03-02T00:30:00Z"), Duration.ofSeconds(30),
            Map.of("database", List.of("modelgate"), "variant", List.of("v1", "", "it's"))));

    @Test
    void timeAndDateFiltersBoundTheRangeInclusivelyInUtc() {
        assertThat(macros.expand("WHERE $__dateFilter(event_date) AND $__timeFilter(event_time)")).isEqualTo(
                "WHERE event_date >= toDate('2024-03-01') AND event_date <= toDate('2024-03-02')"
                        + " AND event_time >= toDateTime(1709335800) AND event_time <= toDateTime(1709339400)");
        assertThat(macros.expand("$__fromTime, $__toTime, $__interval_s")).isEqualTo("toDateTime(1709335800), toDateTime(1709339400), 30");
    }

    @Test
    void variablesExpandRawOrAsQuotedListsThatKeepEmptyValuesAndQuotes() {
        assertThat(macros.expand("FROM ${database}.predictions, $database.feedback WHERE served_variant IN (${variant:singlequote})"))
                .isEqualTo("FROM modelgate.predictions, modelgate.feedback WHERE served_variant IN ('v1','','it\\'s')");
    }

    @Test
    void refusesWhatClickHouse1816CannotRunOrTheTestCannotReproduce() {
        assertThatThrownBy(() -> macros.expand("SELECT $__timeInterval(event_time)")).hasMessageContaining("toStartOfInterval");
        assertThatThrownBy(() -> macros.expand("WHERE $__timeFilter_ms(event_time)")).hasMessageContaining("$__timeFilter_ms");
        assertThatThrownBy(() -> macros.expand("WHERE model IN (${model:csv})")).hasMessageContaining("$model");
        assertThatThrownBy(() -> macros.expand("WHERE variant IN (${variant:csv})")).hasMessageContaining("variant:csv");
    }
}
