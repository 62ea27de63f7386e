package dev.modelgate.inference.pytorch;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import dev.modelgate.inference.DataType;
import dev.modelgate.inference.ModelMetadata;
import dev.modelgate.inference.TensorSpec;
import dev.modelgate.inference.djl.DjlBackend;
import dev.modelgate.inference.djl.DjlModelSettings;
import dev.modelgate.inference.djl.StandardTensorCodec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;

import java.util.ArrayList;
import java.util.List;

/**
 * Serves a TorchScript model in-process through DJL's PyTorch engine (libtorch, no Python).
 *
 * <p>TorchScript rather than DJL's own {@code .params} + {@code Block} format: a TorchScript archive
 * carries its code with its weights, so it loads without the model's Python (or Java) class, and it
 * is what PyTorch users export for serving ({@code torch.jit.trace/script(...).save()}), as Triton
 * and TorchServe expect too.
 *
 * <p>Metadata: the inputs come from {@link PyTorchSettings} (the file has no typed signature); the
 * outputs' datatypes and shapes are read from a probe call on one zero row at load time, their first
 * dimension reported as -1 when the first input's is.
 *
 * <p>Threads: libtorch's thread pools are process-wide and sized once, from the system properties
 * {@code ai.djl.pytorch.num_threads} and {@code ai.djl.pytorch.num_interop_threads}; set both to 1
 * on small machines (DESIGN.md §5), where parallelism comes from instances and batching.
 */
public final class PyTorchBackend extends DjlBackend {

    static final String PLATFORM = "pytorch_torchscript";
    private static final String ENGINE = "PyTorch";

    private PyTorchBackend(DjlModelSettings settings, ModelMetadata metadata, ZooModel<NDList, NDList> model,
                           WorkerExecutor workers) {
        super(settings, metadata, model, new StandardTensorCodec(), workers);
    }

    /** Loads, probes and (if configured) warms up the model on the backend's own worker threads. */
    public static Future<PyTorchBackend> load(Vertx vertx, PyTorchSettings settings) {
        return load(vertx, "pytorch", settings.model(), workers -> open(settings, workers));
    }

    private static PyTorchBackend open(PyTorchSettings settings, WorkerExecutor workers) throws Exception {
        DjlModelSettings common = settings.model();
        Device device = common.device().resolve(Engine.getEngine(ENGINE)::getGpuCount);
        Criteria<NDList, NDList> criteria = criteria(ENGINE, common.modelPath(), common.modelPath().getFileName().toString())
                .optDevice(device)
                // a model saved on a GPU still loads onto the configured device
                .optOption("mapLocation", "true")
                .build();
        ZooModel<NDList, NDList> model = criteria.loadModel();
        try {
            List<TensorSpec> outputs = probe(model, new StandardTensorCodec(), settings.inputs(),
                    probed -> outputSpecs(settings, probed));
            ModelMetadata metadata = new ModelMetadata(common.modelName(), common.version(), PLATFORM,
                    settings.inputs(), outputs);
            return new PyTorchBackend(common, metadata, model, workers);
        } catch (Exception | Error e) {
            model.close();
            throw e;
        }
    }

    private static List<TensorSpec> outputSpecs(PyTorchSettings settings, NDList probed) {
        List<String> names = settings.outputNames();
        if (!names.isEmpty() && names.size() != probed.size()) {
            throw new IllegalArgumentException("outputNames lists " + names.size() + " names but forward() returns "
                    + probed.size() + " tensors");
        }
        boolean batched = settings.inputs().get(0).shape().length > 0 && settings.inputs().get(0).shape()[0] < 0;
        List<TensorSpec> specs = new ArrayList<>(probed.size());
        for (int i = 0; i < probed.size(); i++) {
            String name = names.isEmpty() ? "output__" + i : names.get(i);
            NDArray array = probed.get(i);
            DataType datatype = StandardTensorCodec.datatypeOf(array.getDataType())
                    .orElseThrow(() -> new IllegalArgumentException("output '" + name + "' has element type "
                            + array.getDataType() + "; the PyTorch backend serves " + StandardTensorCodec.SUPPORTED));
            long[] shape = array.getShape().getShape();
            if (batched && shape.length > 0) {
                shape[0] = -1;
            }
            specs.add(new TensorSpec(name, datatype, shape));
        }
        return specs;
    }
}
