package dev.modelgate.experiments.canary;

/**
 * A canary controller decision.
 *
 * @param action   what to do
 * @param next     the state after the action (equal to the current state for HOLD)
 * @param reason   one human-readable sentence with the numbers, for logs, alerts and the admin API
 * @param evidence the numbers compared and their thresholds
 */
public record CanaryDecision(CanaryAction action, CanaryState next, String reason, CanaryEvidence evidence) {
}
