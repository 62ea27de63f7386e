package dev.modelgate.inference.djl;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import dev.modelgate.inference.InferenceRequest;
import dev.modelgate.inference.InferenceResponse;
import dev.modelgate.inference.ModelMetadata;
import dev.modelgate.inference.Tensor;
import dev.modelgate.inference.TensorSpec;
import io.vertx.core.WorkerExecutor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What the engines served through DJL share: a pool of predictors, one per instance, and a
 * {@link TensorCodec} between the protocol's tensors and NDArrays. Engines differ only in how they load
 * a model and read its signature (their {@code load} factories) and in their codec.
 */
public abstract class DjlBackend extends WorkerPoolBackend {

    private final ZooModel<NDList, NDList> model;
    private final TensorCodec codec;
    private final PredictorPool<NDList, NDList> predictors;

    protected DjlBackend(DjlModelSettings settings, ModelMetadata metadata, ZooModel<NDList, NDList> model,
                         TensorCodec codec, WorkerExecutor workers) {
        super(settings, metadata, workers);
        this.model = model;
        this.codec = codec;
        this.predictors = new PredictorPool<>(model, settings.instances());
    }

    /**
     * The DJL criteria every engine here starts from: NDList in and out, no translator (the codec
     * converts tensors), the model given as its directory plus {@code fileName} rather than as the file,
     * which DJL loads too but warns about. Engines add their device and options.
     */
    protected static Criteria.Builder<NDList, NDList> criteria(String engine, Path modelFile, String fileName) {
        return Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optEngine(engine)
                .optModelPath(modelFile.toAbsolutePath().getParent())
                .optModelName(fileName)
                .optTranslator(new NoopTranslator());
    }

    /**
     * Runs one zero-filled row through a throw-away predictor and reads the result: how engines whose
     * files do not declare every output (XGBoost, TorchScript) learn their output signature.
     */
    protected static <R> R probe(ZooModel<NDList, NDList> model, TensorCodec codec, List<TensorSpec> inputs,
                                 Function<NDList, R> reader) throws Exception {
        try (NDManager manager = model.getNDManager().newSubManager();
             Predictor<NDList, NDList> predictor = model.newPredictor()) {
            return reader.apply(predictor.predict(encode(manager, codec, inputs, zeroRequest(inputs))));
        }
    }

    /** Inputs in the model's order, since some engines (TorchScript) bind them by position, not name. */
    private static NDList encode(NDManager manager, TensorCodec codec, List<TensorSpec> specs, InferenceRequest request) {
        NDList inputs = new NDList(specs.size());
        for (TensorSpec spec : specs) {
            Tensor tensor = request.input(spec.name()).orElseThrow();
            inputs.add(codec.toNDArray(manager, tensor));
        }
        return inputs;
    }

    /** Once per predictor: each one allocates lazily on its first call. */
    @Override
    protected void warmUp(InferenceRequest zeros) throws Exception {
        predictors.forEach(predictor -> predict(predictor, zeros));
    }

    @Override
    protected InferenceResponse predict(InferenceRequest request) throws Exception {
        return predictors.call(predictor -> predict(predictor, request));
    }

    /** Every NDArray of the call lives in a manager closed when it returns. */
    private InferenceResponse predict(Predictor<NDList, NDList> predictor, InferenceRequest request) throws Exception {
        try (NDManager perRequest = model.getNDManager().newSubManager()) {
            NDList outputs = predictor.predict(encode(perRequest, codec, metadata().inputs(), request));
            return new InferenceResponse(settings().modelName(), settings().version(), request.id(),
                    selectOutputs(request, outputs));
        }
    }

    /** The engine returns every output in the model's order; the caller may want a subset, in its own order. */
    private List<Tensor> selectOutputs(InferenceRequest request, NDList outputs) {
        List<TensorSpec> specs = metadata().outputs();
        if (outputs.size() != specs.size()) {
            throw new IllegalStateException("the model returned " + outputs.size() + " outputs, its metadata declares "
                    + specs.size());
        }
        Map<String, Integer> positions = new HashMap<>();
        for (int i = 0; i < specs.size(); i++) {
            positions.put(specs.get(i).name(), i);
        }
        List<String> wanted = wantedOutputs(request);
        List<Tensor> selected = new ArrayList<>(wanted.size());
        for (String name : wanted) {
            int position = positions.get(name);
            selected.add(codec.toTensor(specs.get(position), outputs.get(position)));
        }
        return selected;
    }

    @Override
    protected void release() {
        predictors.close();
        model.close();
    }
}
