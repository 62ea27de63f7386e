package dev.modelgate.gateway.quality;

import io.vertx.core.json.JsonObject;

/** A run as the admin API returns it. */
final class QualityRunJson {

    private QualityRunJson() {
    }

    static JsonObject of(QualityRun run) {
        Judgement j = run.judgement();
        JsonObject alert = new JsonObject()
                .put("metric", j.metric())
                .put("source", j.source())
                .put("verdict", j.verdictName())
                .put("state", Judgement.lower(run.alertState().state()))
                .put("transition", QualityReports.transition(run.transition()))
                .put("reason", j.reason());
        j.test().ifPresent(t -> alert.put("baseline", MetricSetJson.finite(t.baseline())).put("current", MetricSetJson.finite(t.current()))
                .put("z", MetricSetJson.finite(t.z())).put("p_value", MetricSetJson.finite(t.pValue())));
        JsonObject json = new JsonObject()
                .put("variant", run.variant())
                .put("run_id", run.runId())
                .put("time", run.time().toString())
                .put("labelled_window", window(run.labelledWindow().start().toString(), run.labelledWindow().end().toString()))
                .put("current_window", window(run.currentWindow().start().toString(), run.currentWindow().end().toString()))
                .put("labelled_rows", run.realised().n())
                .put("realised", MetricSetJson.of(run.realised()))
                .put("alert", alert);
        run.estimated().ifPresent(e -> json.put("estimated", MetricSetJson.of(e)));
        run.estimatedCurrent().ifPresent(e -> json.put("estimated_current", MetricSetJson.of(e)));
        run.baseline().ifPresent(b -> json.put("baseline", new JsonObject().put("source", b.source())
                .put("created_at", b.createdAt().toString()).put("n", b.metrics().n())
                .put("metrics", MetricSetJson.of(b.metrics()).getJsonObject("metrics"))));
        return json;
    }

    private static JsonObject window(String start, String end) {
        return new JsonObject().put("start", start).put("end", end);
    }
}
