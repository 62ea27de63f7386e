package dev.modelgate.inference.resilience;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResilienceSettingsTest {

    @Test
    void aBadSettingIsRefusedNamingItsField() {
        assertThatThrownBy(() -> ResilienceSettings.defaults().withTimeout(Duration.ZERO))
                .hasMessage("timeout must be positive, got PT0S");
        assertThatThrownBy(() -> new BulkheadSettings(true, 0)).hasMessage("maxConcurrentCalls must be >= 1, got 0");
        assertThatThrownBy(() -> new RetrySettings(3, Duration.ofMillis(100), 2, Duration.ofMillis(50)))
                .hasMessageStartingWith("maxBackoff (PT0.05S) must not be shorter than initialBackoff");
        assertThatThrownBy(() -> new CircuitBreakerSettings(true, 0, 100, Duration.ofSeconds(1), 10, 5, Duration.ofSeconds(1), 1))
                .hasMessage("failureRateThreshold must be in (0, 100], got 0.0");
    }
}
