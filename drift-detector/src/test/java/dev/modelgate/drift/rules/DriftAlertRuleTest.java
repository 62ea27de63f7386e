package dev.modelgate.drift.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DriftAlertRuleTest {

    private static final long ENOUGH = 500;
    private final DriftAlertRule rule = new DriftAlertRule(new RuleSettings(100, 3, 2));

    @Test
    void tooSmallASampleIsUnknownNeverNoDrift() {
        RuleOutcome outcome = rule.observe(99, false);
        assertThat(outcome.verdict()).isEqualTo(WindowVerdict.UNKNOWN);
        assertThat(rule.observe(99, true).verdict()).isEqualTo(WindowVerdict.UNKNOWN);
        assertThat(rule.state()).isEqualTo(RuleState.INITIAL);
    }

    @Test
    void aReplayedRuleContinuesTheStoredStreaksAndSkipsUnknownWindows() {
        DriftAlertRule firing = DriftAlertRule.replaying(new RuleSettings(100, 3, 2), java.util.List.of(WindowVerdict.NO_DRIFT,
                WindowVerdict.DRIFT, WindowVerdict.UNKNOWN, WindowVerdict.DRIFT, WindowVerdict.DRIFT));
        assertThat(firing.state()).isEqualTo(new RuleState(AlertState.FIRING, 3, 0));
        assertThat(firing.observe(ENOUGH, true).transition()).as("already firing: not fired again").isEqualTo(AlertTransition.NONE);

        DriftAlertRule pending = DriftAlertRule.replaying(new RuleSettings(100, 3, 2), java.util.List.of(WindowVerdict.DRIFT,
                WindowVerdict.DRIFT));
        assertThat(pending.observe(ENOUGH, true).transition()).isEqualTo(AlertTransition.FIRED);
    }

    @Test
    void firesOnlyAfterKConsecutiveDriftedWindows() {
        assertThat(rule.observe(ENOUGH, true).state().state()).isEqualTo(AlertState.PENDING);
        assertThat(rule.observe(ENOUGH, true).transition()).isEqualTo(AlertTransition.NONE);
        RuleOutcome third = rule.observe(ENOUGH, true);
        assertThat(third.transition()).isEqualTo(AlertTransition.FIRED);
        assertThat(third.state().state()).isEqualTo(AlertState.FIRING);
        assertThat(rule.observe(ENOUGH, true).transition()).isEqualTo(AlertTransition.NONE);
    }

    @Test
    void aCleanWindowWhilePendingStartsTheCountAgain() {
        rule.observe(ENOUGH, true);
        rule.observe(ENOUGH, true);
        assertThat(rule.observe(ENOUGH, false).state().state()).isEqualTo(AlertState.OK);
        rule.observe(ENOUGH, true);
        rule.observe(ENOUGH, true);
        assertThat(rule.state().state()).isEqualTo(AlertState.PENDING);
    }

    @Test
    void resolvesOnlyAfterMConsecutiveCleanWindows() {
        fire();
        RuleOutcome firstClean = rule.observe(ENOUGH, false);
        assertThat(firstClean.state().state()).isEqualTo(AlertState.FIRING);
        assertThat(firstClean.transition()).isEqualTo(AlertTransition.NONE);
        rule.observe(ENOUGH, true); // drift again: the clean streak restarts
        rule.observe(ENOUGH, false);
        RuleOutcome resolved = rule.observe(ENOUGH, false);
        assertThat(resolved.transition()).isEqualTo(AlertTransition.RESOLVED);
        assertThat(resolved.state().state()).isEqualTo(AlertState.OK);
    }

    @Test
    void unknownWindowsNeitherFireNorResolveNorResetStreaks() {
        rule.observe(ENOUGH, true);
        rule.observe(ENOUGH, true);
        assertThat(rule.observeUnknown().transition()).isEqualTo(AlertTransition.NONE);
        assertThat(rule.observe(10, false).verdict()).isEqualTo(WindowVerdict.UNKNOWN);
        assertThat(rule.observe(ENOUGH, true).transition()).isEqualTo(AlertTransition.FIRED);

        rule.observe(ENOUGH, false);
        for (int i = 0; i < 5; i++) {
            RuleOutcome outage = rule.observeUnknown();
            assertThat(outage.state().state()).isEqualTo(AlertState.FIRING);
        }
        assertThat(rule.observe(ENOUGH, false).transition()).isEqualTo(AlertTransition.RESOLVED);
    }

    @Test
    void restoredStateContinuesWhereItStopped() {
        fire();
        DriftAlertRule restored = new DriftAlertRule(new RuleSettings(100, 3, 2), rule.state());
        restored.observe(ENOUGH, false);
        assertThat(restored.observe(ENOUGH, false).transition()).isEqualTo(AlertTransition.RESOLVED);
    }

    @Test
    void settingsNameTheBadField() {
        assertThatThrownBy(() -> new RuleSettings(0, 1, 1)).hasMessageContaining("minimumSampleSize");
        assertThatThrownBy(() -> new RuleSettings(1, 0, 1)).hasMessageContaining("fireAfter");
        assertThatThrownBy(() -> new RuleSettings(1, 1, 0)).hasMessageContaining("resolveAfter");
    }

    private void fire() {
        for (int i = 0; i < 3; i++) {
            rule.observe(ENOUGH, true);
        }
        assertThat(rule.state().state()).isEqualTo(AlertState.FIRING);
    }
}
