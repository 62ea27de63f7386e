package dev.modelgate.inference.demo;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The demo model's probability computed straight from its parameters in double precision, without
 * ONNX: {@code sigmoid(bias + sum_j weight_j * (x_j - mean_j) / std_j)}. Tests compare the served
 * model against it.
 */
public final class FraudScoreReference {

    private final FraudScoreParameters parameters;

    public FraudScoreReference(FraudScoreParameters parameters) {
        this.parameters = parameters;
    }

    public static FraudScoreReference load(Path json) throws IOException {
        return new FraudScoreReference(FraudScoreParameters.read(json));
    }

    /** Reads the repository's {@code demo/fraud-score.json} (see {@link DemoFiles}). */
    public static FraudScoreReference loadDemo() throws IOException {
        return load(DemoFiles.fraudScoreJson());
    }

    public FraudScoreParameters parameters() {
        return parameters;
    }

    /** Fraud probability of one transaction, features in the model's order. */
    public double probability(float[] features) {
        if (features.length != parameters.featureCount()) {
            throw new IllegalArgumentException("features: expected " + parameters.featureCount() + " values, got "
                    + features.length);
        }
        double logit = parameters.bias();
        for (int j = 0; j < features.length; j++) {
            FraudScoreParameters.Feature feature = parameters.features().get(j);
            logit += feature.weight() * (features[j] - feature.mean()) / feature.std();
        }
        return 1.0 / (1.0 + Math.exp(-logit));
    }
}
