package dev.modelgate.e2e;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the event writer's series from a gateway's {@code /metrics}, as Prometheus would scrape them. */
final class GatewayMetrics {

    private final InferApi api;

    GatewayMetrics(InferApi api) {
        this.api = api;
    }

    /**
     * The sum of every series of {@code name} for {@code table} (all reasons, all fields), or 0 when
     * the gateway exposes none: a counter that was never registered has, for the caller, counted nothing.
     */
    double sum(String name, String table) throws IOException, InterruptedException {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)} ([0-9.E+-]+|NaN)$").matcher(api.get("/metrics").body());
        double total = 0;
        while (m.find()) {
            if (m.group(1).contains("table=\"" + table + "\"") && !m.group(2).equals("NaN")) {
                total += Double.parseDouble(m.group(2));
            }
        }
        return total;
    }

    /** True when {@code /metrics} has at least one series of {@code name}. */
    boolean exposes(String name) throws IOException, InterruptedException {
        return Pattern.compile("(?m)^" + Pattern.quote(name) + "[{ ]").matcher(api.get("/metrics").body()).find();
    }
}
