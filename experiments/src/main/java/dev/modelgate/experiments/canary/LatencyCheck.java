package dev.modelgate.experiments.canary;

/**
 * The latency gate: candidate p99 over baseline p99. NaN when either variant has no requests.
 *
 * @param baselineP99Ms  baseline p99, ms
 * @param candidateP99Ms candidate p99, ms
 * @param ratio          candidate / baseline
 * @param maxRatio       the gate
 */
public record LatencyCheck(double baselineP99Ms, double candidateP99Ms, double ratio, double maxRatio) {

    static LatencyCheck of(VariantWindow baseline, VariantWindow candidate, double maxRatio) {
        double b = baseline.p99LatencyMs();
        double c = candidate.p99LatencyMs();
        double ratio;
        if (baseline.requests() == 0 || candidate.requests() == 0) {
            ratio = Double.NaN;
        } else if (b == 0.0) {
            ratio = c == 0.0 ? 1.0 : Double.POSITIVE_INFINITY;
        } else {
            ratio = c / b;
        }
        return new LatencyCheck(b, c, ratio, maxRatio);
    }

    public boolean breached() {
        return ratio > maxRatio;
    }
}
