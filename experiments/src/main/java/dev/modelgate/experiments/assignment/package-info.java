/**
 * Which variant serves a request: MurmurHash3 of {@code salt:unit} into 10,000 buckets
 * ({@link dev.modelgate.experiments.assignment.Bucketer}), weights laid out as bucket ranges that keep
 * ramps monotone ({@link dev.modelgate.experiments.assignment.BucketLayout}), and the per-experiment
 * {@link dev.modelgate.experiments.assignment.VariantAssigner} applying forced variants, targeting,
 * holdout and the split. Depends only on the spec package.
 */
package dev.modelgate.experiments.assignment;
