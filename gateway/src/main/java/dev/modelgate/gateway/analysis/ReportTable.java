package dev.modelgate.gateway.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders the results JSON ({@link ResultsJson}) as a plain-text table for terminals: one line per
 * metric and variant, then the sample ratio check and each decision with its reasons. Works from the
 * JSON rather than the records so that the CLI can print what a remote gateway answered.
 */
public final class ReportTable {

    private static final String[] HEADER = {"metric", "variant", "n", "estimate", "difference CI", "lift", "p", "p-seq", "P(beat)", "decision"};

    private ReportTable() {}

    public static String render(JsonNode results) {
        Map<String, String> decisions = new HashMap<>();
        results.path("decisions").forEach(d -> decisions.put(d.path("variant").asText(), d.path("decision").asText()));
        List<String[]> lines = new ArrayList<>();
        lines.add(HEADER);
        for (JsonNode metric : results.path("metrics")) {
            for (JsonNode v : metric.path("variants")) {
                boolean control = v.path("control").asBoolean();
                lines.add(new String[] {
                        metric.path("name").asText(),
                        v.path("variant").asText() + (control ? " (control)" : ""),
                        v.path("n").asText(),
                        number(v.path("estimate"), "%.4g"),
                        interval(v.path("difference")),
                        percent(v.path("lift").path("estimate")),
                        number(v.path("p_value"), "%.3g"),
                        number(v.path("sequential").path("p_value"), "%.3g"),
                        number(v.path("chance_to_beat"), "%.3f"),
                        control ? "" : decisions.getOrDefault(v.path("variant").asText(), "")});
            }
        }
        StringBuilder out = new StringBuilder();
        out.append("experiment ").append(results.path("experiment").asText())
                .append(" (").append(results.path("kind").asText()).append("), control ")
                .append(results.path("control").asText()).append(", computed ").append(results.path("computed_at").asText())
                .append('\n');
        appendTable(out, lines);
        JsonNode srm = results.path("srm");
        out.append("sample ratio: units ").append(srm.path("units")).append(" vs weights ").append(srm.path("weights"))
                .append(", p = ").append(number(srm.path("p_value"), "%.3g"))
                .append(srm.path("alarm").asBoolean() ? "  ALARM: the split is broken, do not trust the metrics" : "")
                .append('\n');
        for (JsonNode d : results.path("decisions")) {
            out.append(d.path("variant").asText()).append(": ").append(d.path("decision").asText().toUpperCase(Locale.ROOT)).append('\n');
            d.path("reasons").forEach(r -> out.append("  - ").append(r.asText()).append('\n'));
        }
        return out.toString();
    }

    private static void appendTable(StringBuilder out, List<String[]> lines) {
        int[] widths = new int[HEADER.length];
        for (String[] line : lines) {
            for (int i = 0; i < line.length; i++) {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        }
        for (String[] line : lines) {
            StringBuilder row = new StringBuilder();
            for (int i = 0; i < line.length; i++) {
                row.append(String.format(Locale.ROOT, "%-" + widths[i] + "s", line[i])).append(i + 1 < line.length ? "  " : "");
            }
            out.append(row.toString().stripTrailing()).append('\n');
        }
    }

    private static String interval(JsonNode effect) {
        if (!effect.isObject()) {
            return "-";
        }
        return String.format(Locale.ROOT, "[%.4g, %.4g]", effect.path("ci_low").asDouble(), effect.path("ci_high").asDouble());
    }

    private static String percent(JsonNode value) {
        return value.isNumber() ? String.format(Locale.ROOT, "%+.2f%%", 100 * value.asDouble()) : "-";
    }

    private static String number(JsonNode value, String format) {
        return value.isNumber() ? String.format(Locale.ROOT, format, value.asDouble()) : "-";
    }
}
