package dev.modelgate.gateway.cli;

import java.util.Map;

/**
 * DJL settings that must hold before any engine loads: never reach for the network (models and
 * natives come from the jar), and never swap in an alternative engine behind our back. A value given
 * on the command line ({@code -Dai.djl.offline=false}) wins.
 */
final class DjlDefaults {

    private static final Map<String, String> DEFAULTS = Map.of(
            "ai.djl.offline", "true",
            "ai.djl.onnx.disable_alternative", "true",
            "ai.djl.xgboost.disable_alternative", "true");

    private DjlDefaults() {}

    static void apply() {
        DEFAULTS.forEach((key, value) -> {
            if (System.getProperty(key) == null) {
                System.setProperty(key, value);
            }
        });
    }
}
