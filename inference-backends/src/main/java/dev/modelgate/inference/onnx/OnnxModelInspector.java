package dev.modelgate.inference.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.modelgate.inference.DataType;
import dev.modelgate.inference.ModelMetadata;
import dev.modelgate.inference.TensorSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads a model's input and output signature from an ONNX Runtime session. */
final class OnnxModelInspector {

    static final String PLATFORM = "onnxruntime_onnx";

    private OnnxModelInspector() {
    }

    /**
     * @throws IllegalArgumentException when an input or output is not a tensor the backend can serve,
     *                                  naming it
     */
    static ModelMetadata describe(OrtSession session, String modelName, String version) throws OrtException {
        return new ModelMetadata(modelName, version, PLATFORM,
                specs("input", session.getInputInfo()), specs("output", session.getOutputInfo()));
    }

    private static List<TensorSpec> specs(String role, Map<String, NodeInfo> nodes) {
        List<TensorSpec> specs = new ArrayList<>(nodes.size());
        for (NodeInfo node : nodes.values()) {
            if (!(node.getInfo() instanceof TensorInfo info)) {
                throw new IllegalArgumentException(role + " '" + node.getName() + "' is a " + node.getInfo()
                        + ", not a tensor; only tensor inputs and outputs are served");
            }
            DataType datatype = OrtTensors.datatypeOf(info.onnxType)
                    .orElseThrow(() -> new IllegalArgumentException(role + " '" + node.getName() + "' has element type "
                            + info.onnxType + "; the ONNX Runtime backend serves " + OrtTensors.SUPPORTED));
            specs.add(new TensorSpec(node.getName(), datatype, info.getShape()));
        }
        return specs;
    }
}
