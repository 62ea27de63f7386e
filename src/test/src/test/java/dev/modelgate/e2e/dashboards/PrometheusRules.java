package dev.modelgate.e2e.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** The rules of a Prometheus rule file, read as data so tests can reason about what they reference. */
public final class PrometheusRules {

    /** A recording rule ({@code alert == false}, {@code name} is the recorded series) or an alerting rule. */
    public record Rule(String name, boolean alert, String expr, Map<String, String> labels, Map<String, String> annotations) {
        public Rule {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(expr, "expr of rule " + name);
            labels = Map.copyOf(labels);
            annotations = Map.copyOf(annotations);
        }
    }

    private final List<Rule> rules;

    private PrometheusRules(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    public static PrometheusRules load(Path file) throws IOException {
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        List<Rule> rules = new ArrayList<>();
        for (JsonNode group : root.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                boolean alert = rule.has("alert");
                rules.add(new Rule(rule.path(alert ? "alert" : "record").asText(), alert, rule.path("expr").asText(),
                        strings(rule.path("labels")), strings(rule.path("annotations"))));
            }
        }
        return new PrometheusRules(rules);
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> map = new LinkedHashMap<>();
        object.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }

    public List<Rule> rules() {
        return rules;
    }

    public List<Rule> alerts() {
        return rules.stream().filter(Rule::alert).toList();
    }

    /** Metrics the rules read that they do not record themselves: what the scraped targets must expose. */
    public Set<String> scrapedMetricNames() {
        Set<String> names = new LinkedHashSet<>();
        rules.forEach(rule -> names.addAll(PromQlMetricNames.of(rule.expr())));
        rules.stream().filter(rule -> !rule.alert()).forEach(rule -> names.remove(rule.name()));
        return names;
    }
}
