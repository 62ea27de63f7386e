package dev.modelgate.inference;

import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InFlightGateTest {

    private final InFlightGate gate = new InFlightGate();

    @Test
    void closingWaitsForTheCallsInFlightAndAdmitsNoNewOnes() {
        assertThat(gate.tryEnter()).isTrue();
        assertThat(gate.tryEnter()).isTrue();

        Future<Void> drained = gate.close();

        assertThat(gate.isClosed()).isTrue();
        assertThat(gate.tryEnter()).isFalse();
        gate.leave();
        assertThat(drained.isComplete()).isFalse();
        gate.leave();
        assertThat(drained.succeeded()).isTrue();
        assertThat(gate.close()).isSameAs(drained);
    }

    @Test
    void closingAnIdleGateCompletesAtOnce() {
        assertThat(gate.close().succeeded()).isTrue();
    }

    @Test
    void anUnmatchedLeaveIsABug() {
        assertThatThrownBy(gate::leave).isInstanceOf(IllegalStateException.class);
    }
}
