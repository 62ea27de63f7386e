package dev.modelgate.inference.djl;

import ai.djl.Device;

import java.util.Locale;
import java.util.Objects;
import java.util.function.IntSupplier;

/**
 * Where a model should run, as configured: {@code auto} (a GPU when the engine sees one, else the
 * CPU), {@code cpu}, {@code gpu} (= {@code gpu:0}) or {@code gpu:N}. DJL's {@code Device.gpu()} does
 * not fall back to the CPU by itself, so the choice is resolved here against the engine's GPU count,
 * and an explicit GPU that is not there fails the load instead of failing every request later.
 *
 * @param kind  what was asked for
 * @param gpuId the GPU index for {@link Kind#GPU}; 0 otherwise
 */
public record DeviceChoice(Kind kind, int gpuId) {

    public enum Kind { AUTO, CPU, GPU }

    public static final DeviceChoice AUTO = new DeviceChoice(Kind.AUTO, 0);
    public static final DeviceChoice CPU = new DeviceChoice(Kind.CPU, 0);

    public DeviceChoice {
        Objects.requireNonNull(kind, "kind");
        if (gpuId < 0) {
            throw new IllegalArgumentException("gpuId must be >= 0, got " + gpuId);
        }
        if (kind != Kind.GPU && gpuId != 0) {
            throw new IllegalArgumentException("gpuId applies to GPU only, got " + kind + " with gpuId " + gpuId);
        }
    }

    /** Parses {@code auto|cpu|gpu|gpu:N}, case-insensitively. */
    public static DeviceChoice parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("device must be auto, cpu, gpu or gpu:N, got null");
        }
        String value = text.trim().toLowerCase(Locale.ROOT);
        switch (value) {
            case "auto":
                return AUTO;
            case "cpu":
                return CPU;
            case "gpu":
                return new DeviceChoice(Kind.GPU, 0);
            default:
                if (value.startsWith("gpu:") && value.length() > 4 && value.substring(4).chars().allMatch(Character::isDigit)) {
                    try {
                        return new DeviceChoice(Kind.GPU, Integer.parseInt(value.substring(4)));
                    } catch (NumberFormatException tooLarge) {
                        // falls through to the error below
                    }
                }
                throw new IllegalArgumentException("device must be auto, cpu, gpu or gpu:N, got '" + text + "'");
        }
    }

    /**
     * The device to load on. {@code gpuCount} is asked only when a GPU is possible: probing for CUDA
     * is slow and logs a warning on CPU-only builds.
     *
     * @throws DeviceUnavailableException when a GPU was asked for explicitly and the engine has no such GPU
     */
    public Device resolve(IntSupplier gpuCount) {
        switch (kind) {
            case CPU:
                return Device.cpu();
            case AUTO:
                return gpuCount.getAsInt() > 0 ? Device.gpu(0) : Device.cpu();
            default:
                int gpus = gpuCount.getAsInt();
                if (gpuId >= gpus) {
                    throw new DeviceUnavailableException("device " + this + " requested but the engine sees "
                            + gpus + " GPU(s); use 'auto' to fall back to the CPU, or build with the GPU profile");
                }
                return Device.gpu(gpuId);
        }
    }

    @Override
    public String toString() {
        return kind == Kind.GPU ? "gpu:" + gpuId : kind.name().toLowerCase(Locale.ROOT);
    }
}
