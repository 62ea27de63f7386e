package dev.modelgate.e2e.dashboards;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns a dashboard's SQL into what the grafana-clickhouse-datasource plugin (v4) sends to ClickHouse,
 * for the subset of macros and variable formats ModelGate's dashboards use. The macro forms copy the
 * plugin's {@code pkg/macros/macros.go}; variable formats copy Grafana's interpolation.
 * <table>
 *   <caption>Expansions ({@code from}/{@code to}: the dashboard's time range; {@code interval}: the panel's interval)</caption>
 *   <tr><th>in the dashboard</th><th>sent to ClickHouse</th></tr>
 *   <tr><td>{@code $__timeFilter(col)}</td><td>{@code col >= toDateTime(<from, epoch s>) AND col <= toDateTime(<to, epoch s>)}</td></tr>
 *   <tr><td>{@code $__dateFilter(col)}</td><td>{@code col >= toDate('<from, UTC yyyy-MM-dd>') AND col <= toDate('<to, UTC yyyy-MM-dd>')}</td></tr>
 *   <tr><td>{@code $__fromTime}, {@code $__toTime}</td><td>{@code toDateTime(<epoch s>)}</td></tr>
 *   <tr><td>{@code $__interval_s}</td><td>the interval in whole seconds, at least 1</td></tr>
 *   <tr><td>{@code ${var}}, {@code $var}</td><td>the variable's values joined by {@code ,}</td></tr>
 *   <tr><td>{@code ${var:singlequote}}</td><td>{@code 'a','b'}, a quote inside a value escaped as {@code \'}</td></tr>
 * </table>
 * Anything else starting with {@code $} is rejected, so a dashboard cannot use a macro this test does
 * not reproduce. {@code $__timeInterval(col)} is rejected on purpose: the plugin expands it to
 * {@code toStartOfInterval}, which ClickHouse 18.16 lacks (DESIGN.md §5); the dashboards bucket time with
 * {@code toDateTime(intDiv(toUInt32(col), $__interval_s) * $__interval_s)}, which every version runs.
 */
public final class ClickHouseMacros {

    /** The values Grafana would substitute: time range, panel interval and template variables. */
    public record Scope(Instant from, Instant to, Duration interval, Map<String, List<String>> variables) {
        public Scope {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(interval, "interval");
            if (to.isBefore(from)) {
                throw new IllegalArgumentException("to (" + to + ") is before from (" + from + ")");
            }
            variables = Map.copyOf(variables);
        }

        public Scope withVariable(String name, List<String> values) {
            Map<String, List<String>> more = new HashMap<>(variables);
            more.put(name, List.copyOf(values));
            return new Scope(from, to, interval, more);
        }
    }

    private static final Pattern FUNCTION_MACRO = Pattern.compile("\\$__(\\w+)\\(([^()]*)\\)");
    private static final Pattern PLAIN_MACRO = Pattern.compile("\\$__(\\w+)");
    private static final Pattern BRACED_VARIABLE = Pattern.compile("\\$\\{(\\w+)(?::(\\w+))?}");
    private static final Pattern BARE_VARIABLE = Pattern.compile("\\$(\\w+)");

    private final Scope scope;

    public ClickHouseMacros(Scope scope) {
        this.scope = Objects.requireNonNull(scope, "scope");
    }

    public String expand(String sql) {
        String expanded = replace(sql, FUNCTION_MACRO, m -> functionMacro(m.group(1), m.group(2).trim()));
        expanded = replace(expanded, PLAIN_MACRO, m -> plainMacro(m.group(1)));
        expanded = replace(expanded, BRACED_VARIABLE, m -> variable(m.group(1), m.group(2)));
        return replace(expanded, BARE_VARIABLE, m -> variable(m.group(1), null));
    }

    private String functionMacro(String name, String column) {
        switch (name) {
            case "timeFilter":
                return column + " >= " + dateTime(scope.from()) + " AND " + column + " <= " + dateTime(scope.to());
            case "dateFilter":
                return column + " >= " + date(scope.from()) + " AND " + column + " <= " + date(scope.to());
            case "timeInterval":
                throw new IllegalArgumentException("$__timeInterval(" + column + ") expands to toStartOfInterval, which ClickHouse 18.16 lacks;"
                        + " bucket with toDateTime(intDiv(toUInt32(" + column + "), $__interval_s) * $__interval_s)");
            default:
                throw new IllegalArgumentException("macro $__" + name + "(...) is not one the dashboards may use");
        }
    }

    private String plainMacro(String name) {
        switch (name) {
            case "fromTime":
                return dateTime(scope.from());
            case "toTime":
                return dateTime(scope.to());
            case "interval_s":
                return Long.toString(Math.max(scope.interval().toSeconds(), 1));
            default:
                throw new IllegalArgumentException("macro $__" + name + " is not one the dashboards may use");
        }
    }

    private String variable(String name, String format) {
        List<String> values = scope.variables().get(name);
        if (values == null) {
            throw new IllegalArgumentException("variable $" + name + " has no value in this scope " + scope.variables().keySet());
        }
        if (format == null) {
            return String.join(",", values);
        }
        if (format.equals("singlequote")) {
            return values.stream().map(v -> "'" + v.replace("'", "\\'") + "'").collect(Collectors.joining(","));
        }
        throw new IllegalArgumentException("format ${" + name + ":" + format + "} is not one the dashboards may use");
    }

    private static String dateTime(Instant instant) {
        return "toDateTime(" + instant.getEpochSecond() + ")";
    }

    private static String date(Instant instant) {
        return "toDate('" + instant.atOffset(ZoneOffset.UTC).toLocalDate() + "')";
    }

    private static String replace(String text, Pattern pattern, Function<Matcher, String> replacement) {
        Matcher matcher = pattern.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement.apply(matcher)));
        }
        return matcher.appendTail(out).toString();
    }
}
