package dev.modelgate.gateway.config;

import dev.modelgate.statistics.quality.Task;
import java.time.Duration;

/**
 * A model's quality declaration ({@code models.<m>.quality}).
 *
 * @param labelMetric   the {@code /v1/feedback} metric whose values are the ground truth
 * @param threshold     binary: rows with {@code score >= threshold} are predicted positive
 * @param scoreOutput   the logged output column holding the score (binary) or prediction (regression),
 *                      or the tensor whose {@code name[c]} columns are the class probabilities (multiclass);
 *                      empty = the prediction log's {@code score} column
 * @param classes       multiclass: the number of classes (labels are 0 .. classes − 1)
 * @param labelDelay    how long labels take to arrive: realised metrics cover the window ending this long ago
 * @param window        the length of one evaluation window
 * @param alertMetric   the metric whose degradation alerts
 * @param calibrationBins equal-width bins of the reliability curve
 */
public record QualitySpec(Task task, String labelMetric, double threshold, String scoreOutput, int classes, Duration labelDelay,
                          Duration window, String alertMetric, int calibrationBins) {
}
