package dev.modelgate.bench;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The model through plain DJL: one predictor called on the caller's thread, with no Vert.x, no
 * protocol types and no hand-off to a worker. The floor under everything the backend and the
 * gateway add. Engine options match {@code OnnxRuntimeBackend}'s (one intra-op and one inter-op
 * thread), so the two measure the same engine work. Not thread-safe, like the predictor it wraps.
 */
final class DirectPredictor implements AutoCloseable {

    private static final String ONNX_SUFFIX = ".onnx";

    private final ZooModel<NDList, NDList> model;
    private final Predictor<NDList, NDList> predictor;
    private final String inputName;
    private final int featureCount;

    private DirectPredictor(ZooModel<NDList, NDList> model, String inputName, int featureCount) {
        this.model = model;
        this.predictor = model.newPredictor();
        this.inputName = inputName;
        this.featureCount = featureCount;
    }

    static DirectPredictor open(Path onnxFile, String inputName, int featureCount)
            throws ModelNotFoundException, MalformedModelException, IOException {
        String file = onnxFile.getFileName().toString();
        if (!file.endsWith(ONNX_SUFFIX)) {
            throw new IllegalArgumentException("onnxFile must name a " + ONNX_SUFFIX + " file, got " + onnxFile);
        }
        Criteria<NDList, NDList> criteria = Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optEngine("OnnxRuntime")
                .optModelPath(onnxFile.toAbsolutePath().getParent())
                .optModelName(file.substring(0, file.length() - ONNX_SUFFIX.length()))
                .optDevice(Device.cpu())
                .optTranslator(new NoopTranslator())
                .optOption("intraOpNumThreads", "1")
                .optOption("interOpNumThreads", "1")
                .build();
        return new DirectPredictor(criteria.loadModel(), inputName, featureCount);
    }

    /** Scores {@code flatRows} (row-major, {@code featureCount} values per row); one score per row. */
    float[] predict(float[] flatRows) throws TranslateException {
        if (flatRows.length == 0 || flatRows.length % featureCount != 0) {
            throw new IllegalArgumentException("flatRows must hold whole rows of " + featureCount + " values, got "
                    + flatRows.length);
        }
        try (NDManager call = model.getNDManager().newSubManager()) {
            NDArray input = call.create(flatRows, new Shape(flatRows.length / featureCount, featureCount));
            input.setName(inputName);
            return predictor.predict(new NDList(input)).singletonOrThrow().toFloatArray();
        }
    }

    @Override
    public void close() {
        predictor.close();
        model.close();
    }
}
