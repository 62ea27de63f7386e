package dev.modelgate.e2e.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A Grafana dashboard JSON file as the ClickHouse plugin would run it: the SQL of its query template
 * variables (in the order Grafana resolves them) and of its panels' targets, nested rows included.
 */
public final class GrafanaDashboard {

    /** One SQL query of a panel; {@code panel} is the panel's title, which is how people refer to it. */
    public record PanelQuery(String panel, String refId, String rawSql) {
        public PanelQuery {
            requireText(panel, "panel");
            requireText(refId, "refId");
            requireText(rawSql, "rawSql of panel '" + panel + "'");
        }
    }

    /** A template variable whose options come from a SQL query. */
    public record VariableQuery(String name, String rawSql) {
        public VariableQuery {
            requireText(name, "name");
            requireText(rawSql, "query of variable '" + name + "'");
        }
    }

    private static final String CLICKHOUSE_PLUGIN = "grafana-clickhouse-datasource";

    private final String title;
    private final List<VariableQuery> variables;
    private final List<PanelQuery> panelQueries;

    private GrafanaDashboard(String title, List<VariableQuery> variables, List<PanelQuery> panelQueries) {
        this.title = title;
        this.variables = List.copyOf(variables);
        this.panelQueries = List.copyOf(panelQueries);
    }

    public static GrafanaDashboard load(Path file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        List<VariableQuery> variables = new ArrayList<>();
        for (JsonNode variable : root.path("templating").path("list")) {
            if ("query".equals(variable.path("type").asText())) {
                variables.add(new VariableQuery(variable.path("name").asText(), sqlOf(variable.path("query"))));
            }
        }
        List<PanelQuery> queries = new ArrayList<>();
        collectPanelQueries(root.path("panels"), queries);
        return new GrafanaDashboard(root.path("title").asText(file.getFileName().toString()), variables, queries);
    }

    // Collapsed rows keep their panels inside the row ("panels" of a "row" panel).
    private static void collectPanelQueries(JsonNode panels, List<PanelQuery> into) {
        for (JsonNode panel : panels) {
            collectPanelQueries(panel.path("panels"), into);
            for (JsonNode target : panel.path("targets")) {
                String plugin = target.path("datasource").path("type").asText(panel.path("datasource").path("type").asText());
                if (!CLICKHOUSE_PLUGIN.equals(plugin)) {
                    throw new IllegalArgumentException("panel '" + panel.path("title").asText() + "' queries " + plugin
                            + ", not " + CLICKHOUSE_PLUGIN);
                }
                into.add(new PanelQuery(panel.path("title").asText(), target.path("refId").asText(), target.path("rawSql").asText()));
            }
        }
    }

    // The plugin accepts a variable's query both as a plain SQL string and as {"rawSql": ...}.
    private static String sqlOf(JsonNode query) {
        return query.isTextual() ? query.asText() : query.path("rawSql").asText();
    }

    private static void requireText(String value, String field) {
        if (Objects.requireNonNull(value, field).isBlank()) {
            throw new IllegalArgumentException(field + " is blank");
        }
    }

    public String title() {
        return title;
    }

    public List<VariableQuery> variables() {
        return variables;
    }

    public List<PanelQuery> panelQueries() {
        return panelQueries;
    }
}
