package dev.modelgate.inference.djl;

import ai.djl.Device;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeviceChoiceTest {

    @Test
    void parsesEveryAcceptedSpelling() {
        assertThat(DeviceChoice.parse("auto")).isEqualTo(DeviceChoice.AUTO);
        assertThat(DeviceChoice.parse(" CPU ")).isEqualTo(DeviceChoice.CPU);
        assertThat(DeviceChoice.parse("gpu")).isEqualTo(new DeviceChoice(DeviceChoice.Kind.GPU, 0));
        assertThat(DeviceChoice.parse("GPU:3")).isEqualTo(new DeviceChoice(DeviceChoice.Kind.GPU, 3));
        assertThat(DeviceChoice.parse("gpu:2")).hasToString("gpu:2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "tpu", "gpu:", "gpu:-1", "gpu:x", "gpu:1:2", "cpu:0", "gpu:99999999999"})
    void rejectsAnythingElseQuotingIt(String text) {
        assertThatThrownBy(() -> DeviceChoice.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("device must be auto, cpu, gpu or gpu:N, got '" + text + "'");
    }

    @Test
    void rejectsNull() {
        assertThatThrownBy(() -> DeviceChoice.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void autoTakesTheFirstGpuWhenThereIsOneAndTheCpuOtherwise() {
        assertThat(DeviceChoice.AUTO.resolve(() -> 0)).isEqualTo(Device.cpu());
        assertThat(DeviceChoice.AUTO.resolve(() -> 2)).isEqualTo(Device.gpu(0));
    }

    @Test
    void cpuStaysOnTheCpuWithoutProbingForGpus() {
        assertThat(DeviceChoice.CPU.resolve(() -> {
            throw new AssertionError("a CPU choice must not probe for GPUs");
        })).isEqualTo(Device.cpu());
    }

    @Test
    void anExplicitGpuIsUsedWhenPresent() {
        assertThat(DeviceChoice.parse("gpu:1").resolve(() -> 2)).isEqualTo(Device.gpu(1));
    }

    @Test
    void anExplicitGpuThatIsNotThereFailsInsteadOfFallingBack() {
        assertThatThrownBy(() -> DeviceChoice.parse("gpu").resolve(() -> 0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("device gpu:0 requested but the engine sees 0 GPU(s)");
        assertThatThrownBy(() -> DeviceChoice.parse("gpu:2").resolve(() -> 2))
                .hasMessageStartingWith("device gpu:2 requested but the engine sees 2 GPU(s)");
    }

    @Test
    void aGpuIndexIsOnlyValidForAGpu() {
        assertThatThrownBy(() -> new DeviceChoice(DeviceChoice.Kind.CPU, 1))
                .hasMessageContaining("gpuId applies to GPU only");
    }
}
