package dev.modelgate.inference.djl;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What every model served in-process through DJL is configured with, whatever its engine.
 *
 * @param modelName the name the model is served under
 * @param version   the variant's version label (may be empty)
 * @param modelPath the model file
 * @param instances concurrent inferences: one DJL predictor and one worker thread each
 * @param device    where to run it
 * @param warmUp    run one zero-filled inference per instance before reporting ready, so the first
 *                  real requests do not pay the engine's lazy allocations and graph optimisation
 */
public record DjlModelSettings(String modelName, String version, Path modelPath, int instances, DeviceChoice device,
                               boolean warmUp) {

    public DjlModelSettings {
        if (modelName == null || modelName.isBlank()) {
            throw new IllegalArgumentException("modelName must not be blank");
        }
        version = version == null ? "" : version;
        Objects.requireNonNull(modelPath, "modelPath");
        if (modelPath.getFileName() == null) {
            throw new IllegalArgumentException("modelPath must name a file, got " + modelPath);
        }
        if (instances < 1) {
            throw new IllegalArgumentException("instances must be >= 1, got " + instances);
        }
        Objects.requireNonNull(device, "device");
    }

    /** One instance, device {@code auto}, warm-up on. */
    public static DjlModelSettings of(String modelName, Path modelPath) {
        return new DjlModelSettings(modelName, "", modelPath, 1, DeviceChoice.AUTO, true);
    }

    public DjlModelSettings withInstances(int count) {
        return new DjlModelSettings(modelName, version, modelPath, count, device, warmUp);
    }

    public DjlModelSettings withModelPath(Path path) {
        return new DjlModelSettings(modelName, version, path, instances, device, warmUp);
    }

    /** @throws IllegalArgumentException unless the model file's name ends with one of {@code suffixes} */
    public void requireSuffix(String... suffixes) {
        String file = modelPath.getFileName().toString();
        for (String suffix : suffixes) {
            if (file.endsWith(suffix)) {
                return;
            }
        }
        throw new IllegalArgumentException("modelPath must name a " + String.join(" or ", suffixes)
                + " file, got " + modelPath);
    }

    /** The file name without its extension: what DJL calls the model name. */
    public String fileStem() {
        String file = modelPath.getFileName().toString();
        int dot = file.lastIndexOf('.');
        return dot > 0 ? file.substring(0, dot) : file;
    }
}
