package dev.modelgate.inference.xgboost;

import dev.modelgate.inference.djl.DjlModelSettings;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How to serve one XGBoost model.
 *
 * @param model  the settings every DJL engine shares; the file is XGBoost's JSON ({@code .json}) or
 *               UBJSON ({@code .ubj}) model format, told apart by its extension as XGBoost itself does
 * @param output which prediction to serve
 */
public record XgboostSettings(DjlModelSettings model, XgboostOutput output) {

    public XgboostSettings {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(output, "output");
        model.requireSuffix(".json", ".ubj");
    }

    /** One instance, device {@code auto}, warm-up on, the objective's prediction. */
    public static XgboostSettings of(String modelName, Path modelPath) {
        return new XgboostSettings(DjlModelSettings.of(modelName, modelPath), XgboostOutput.PREDICTION);
    }

    public XgboostSettings withModel(DjlModelSettings settings) {
        return new XgboostSettings(settings, output);
    }

    public XgboostSettings withOutput(XgboostOutput value) {
        return new XgboostSettings(model, value);
    }
}
