/**
 * Canary rollouts: the immutable {@link dev.modelgate.experiments.canary.CanaryState}, its
 * manual transitions, and the pure {@link dev.modelgate.experiments.canary.CanaryEvaluator} that turns a
 * step's observations into ADVANCE / HOLD / ROLLBACK / PROMOTE with the evidence. Three gates judge a
 * step: the error rate, the p99 latency, and the spec's guardrail metrics, compared over the step's units
 * with an always-valid test ({@link dev.modelgate.experiments.canary.GuardrailCheck}). The gateway's
 * controller gathers the observations, persists the state and feeds the weight to
 * {@code VariantAssigner.forCanary}.
 */
package dev.modelgate.experiments.canary;
