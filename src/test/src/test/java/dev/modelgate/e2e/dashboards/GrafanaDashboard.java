package dev.modelgate.e2e.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Grafana dashboard JSON file as the ClickHouse plugin would run it: its text box variables, the SQL
 * of its query template variables (in the order Grafana resolves them) and of its panels' targets,
 * nested rows included.
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

    /**
     * A template variable whose options come from a SQL query; {@code multi} when it may select several
     * (or All), otherwise Grafana selects its first option on load.
     */
    public record VariableQuery(String name, String rawSql, boolean multi) {
        public VariableQuery {
            requireText(name, "name");
            requireText(rawSql, "query of variable '" + name + "'");
        }
    }

    private static final String CLICKHOUSE_PLUGIN = "grafana-clickhouse-datasource";

    private final String title;
    private final Map<String, String> textboxes;
    private final List<VariableQuery> variables;
    private final List<PanelQuery> panelQueries;

    private GrafanaDashboard(String title, Map<String, String> textboxes, List<VariableQuery> variables, List<PanelQuery> panelQueries) {
        this.title = title;
        this.textboxes = Collections.unmodifiableMap(new LinkedHashMap<>(textboxes));
        this.variables = List.copyOf(variables);
        this.panelQueries = List.copyOf(panelQueries);
    }

    public static GrafanaDashboard load(Path file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        Map<String, String> textboxes = new LinkedHashMap<>();
        List<VariableQuery> variables = new ArrayList<>();
        for (JsonNode variable : root.path("templating").path("list")) {
            String type = variable.path("type").asText();
            if ("query".equals(type)) {
                boolean multi = variable.path("multi").asBoolean() || variable.path("includeAll").asBoolean();
                variables.add(new VariableQuery(variable.path("name").asText(), sqlOf(variable.path("query")), multi));
            } else if ("textbox".equals(type) || "constant".equals(type)) {
                textboxes.put(variable.path("name").asText(), variable.path("query").asText());
            }
        }
        List<PanelQuery> queries = new ArrayList<>();
        collectPanelQueries(root.path("panels"), queries);
        return new GrafanaDashboard(root.path("title").asText(file.getFileName().toString()), textboxes, variables, queries);
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

    /** Text box and constant variables with the value the dashboard ships with, in dashboard order. */
    public Map<String, String> textboxes() {
        return textboxes;
    }

    public List<VariableQuery> variables() {
        return variables;
    }

    public List<PanelQuery> panelQueries() {
        return panelQueries;
    }
}
