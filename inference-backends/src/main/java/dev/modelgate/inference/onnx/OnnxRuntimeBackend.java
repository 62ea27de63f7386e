package dev.modelgate.inference.onnx;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import dev.modelgate.inference.InferenceRequest;
import dev.modelgate.inference.InferenceResponse;
import dev.modelgate.inference.ModelMetadata;
import dev.modelgate.inference.Tensor;
import dev.modelgate.inference.TensorSpec;
import dev.modelgate.inference.djl.WorkerPoolBackend;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves an ONNX model in-process through ONNX Runtime's own Java API. One session serves every worker
 * thread (an {@code OrtSession} runs concurrent calls safely), so there is no pool of predictors to
 * borrow from and no per-call NDArray manager: DJL's bookkeeping cost 1.5–1.7 µs per request here.
 */
public final class OnnxRuntimeBackend extends WorkerPoolBackend {

    private static final Logger LOG = LoggerFactory.getLogger(OnnxRuntimeBackend.class);

    private final OrtSession session;
    private final OrtTensors tensors;
    private final Set<String> allOutputs;
    private final Map<String, TensorSpec> outputSpecs;
    /** Cleared, for good, by the first call whose outputs turn out not to be shaped [rows, ...]. */
    private volatile boolean pinOutputs = true;

    private OnnxRuntimeBackend(OnnxRuntimeSettings settings, ModelMetadata metadata, OrtSession session,
                               WorkerExecutor workers) {
        super(settings.common(), metadata, workers);
        this.session = session;
        this.tensors = new OrtTensors(OrtEnvironment.getEnvironment(), metadata.inputs().size());
        this.allOutputs = new LinkedHashSet<>(metadata.outputs().stream().map(TensorSpec::name).toList());
        this.outputSpecs = metadata.outputs().stream().collect(Collectors.toUnmodifiableMap(TensorSpec::name, spec -> spec));
    }

    /**
     * Loads, inspects and (if configured) warms up the model on the backend's own worker threads.
     * Fails with {@link dev.modelgate.inference.InferenceException.Kind#BACKEND_FAILURE} naming the model and the cause.
     */
    public static Future<OnnxRuntimeBackend> load(Vertx vertx, OnnxRuntimeSettings settings) {
        return load(vertx, "onnx", settings.common(), workers -> open(settings, workers));
    }

    private static OnnxRuntimeBackend open(OnnxRuntimeSettings settings, WorkerExecutor workers) throws OrtException {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        // a CPU-only build of ONNX Runtime has no CUDA provider: no GPU to look for, and no warning for not finding one
        Device device = settings.device().resolve(() ->
                OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA) ? CudaUtils.getGpuCount() : 0);
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(settings.intraOpThreads());
            // one operator at a time; concurrency comes from instances
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            if (device.isGpu()) {
                options.addCUDA(device.getDeviceId());
            }
            OrtSession session = environment.createSession(settings.modelPath().toString(), options);
            try {
                ModelMetadata metadata = OnnxModelInspector.describe(session, settings.modelName(), settings.version());
                return new OnnxRuntimeBackend(settings, metadata, session, workers);
            } catch (RuntimeException | Error e) {
                session.close();
                throw e;
            }
        }
    }

    @Override
    protected void warmUp(InferenceRequest zeros) throws Exception {
        predict(zeros);
    }

    @Override
    protected InferenceResponse predict(InferenceRequest request) throws OrtException {
        List<TensorSpec> specs = metadata().inputs();
        Map<String, OnnxTensor> inputs = new HashMap<>(specs.size() * 2);
        for (int slot = 0; slot < specs.size(); slot++) {
            String name = specs.get(slot).name();
            inputs.put(name, tensors.toOnnx(slot, request.input(name).orElseThrow()));
        }
        List<String> wanted = wantedOutputs(request);
        long rows = request.inputs().get(0).rows();
        // an empty batch has nothing to pin, and must not count as a model whose outputs cannot be pinned
        if (pinOutputs && rows > 0) {
            try {
                return runPinned(request, inputs, wanted, rows);
            } catch (OrtException e) {
                // the one way a pinned run fails where a plain one succeeds: an output whose first
                // dimension is not the rows; the plain run says whether that was it
                InferenceResponse response = runPlain(request, inputs, wanted);
                pinOutputs = false;
                LOG.info("model '{}': outputs are not shaped [rows, ...] ({}); they are no longer pinned",
                        settings().modelName(), e.getMessage());
                return response;
            }
        }
        return runPlain(request, inputs, wanted);
    }

    /** ONNX Runtime writes every output it can into this thread's tensors, and allocates the rest. */
    private InferenceResponse runPinned(InferenceRequest request, Map<String, OnnxTensor> inputs, List<String> wanted,
                                        long rows) throws OrtException {
        Map<String, OnnxTensor> pinned = new HashMap<>(wanted.size() * 2);
        Set<String> allocated = new LinkedHashSet<>();
        for (String name : wanted) {
            Optional<OnnxTensor> tensor = tensors.pinnedOutput(outputSpecs.get(name), rows);
            if (tensor.isPresent()) {
                pinned.put(name, tensor.get());
            } else {
                allocated.add(name);
            }
        }
        try (OrtSession.Result result = session.run(inputs, allocated, pinned)) {
            List<Tensor> outputs = new ArrayList<>(wanted.size());
            for (String name : wanted) {
                outputs.add(pinned.containsKey(name) ? tensors.readPinned(outputSpecs.get(name)) : read(result, name));
            }
            return new InferenceResponse(settings().modelName(), settings().version(), request.id(), outputs);
        }
    }

    private InferenceResponse runPlain(InferenceRequest request, Map<String, OnnxTensor> inputs, List<String> wanted)
            throws OrtException {
        Set<String> fetched = request.requestedOutputs().isEmpty() ? allOutputs : new LinkedHashSet<>(wanted);
        try (OrtSession.Result result = session.run(inputs, fetched)) {
            List<Tensor> outputs = new ArrayList<>(wanted.size());
            for (String name : wanted) {
                outputs.add(read(result, name));
            }
            return new InferenceResponse(settings().modelName(), settings().version(), request.id(), outputs);
        }
    }

    private static Tensor read(OrtSession.Result result, String name) {
        OnnxValue value = result.get(name).orElseThrow(() ->
                new IllegalStateException("the model returned no output '" + name + "'"));
        return OrtTensors.toTensor(name, (OnnxTensor) value);
    }

    @Override
    protected void release() {
        try {
            tensors.close();
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("model '" + settings().modelName() + "': cannot close its session", e);
        }
    }
}
