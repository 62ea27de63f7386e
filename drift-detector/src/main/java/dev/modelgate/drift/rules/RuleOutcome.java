package dev.modelgate.drift.rules;

/**
 * What one window did to the rule.
 *
 * @param verdict the window's own verdict after the minimum-sample check
 * @param state the rule's state after the window
 * @param transition FIRED or RESOLVED when the window changed whether an alert is active
 */
public record RuleOutcome(WindowVerdict verdict, RuleState state, AlertTransition transition) {
}
