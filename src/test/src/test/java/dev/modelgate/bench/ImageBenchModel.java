package dev.modelgate.bench;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import dev.modelgate.inference.testmodels.OnnxGraphBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes the ONNX model of the gRPC-vs-REST benchmark's large-input case, so no model file is checked in:
 * {@code image [batch, 3, 224, 224] FP32 -> GlobalAveragePool -> Flatten -> channel_means [batch, 3]}. An
 * image-sized input with a model that costs little next to moving 150,528 floats, so the benchmark
 * measures what the protocols cost.
 *
 * <p>System property {@code bench.dir} (required): the folder to write {@value #MODEL_FILE} to.
 */
public final class ImageBenchModel {

    static final String MODEL_FILE = "image-mean.onnx";
    static final long[] SHAPE = {1, 3, 224, 224};

    private ImageBenchModel() {
    }

    public static void main(String[] args) throws Exception {
        String dir = BenchProperties.string("bench.dir", null);
        if (dir == null) {
            throw new IllegalArgumentException("bench.dir must name the folder to write the model to");
        }
        Path file = Files.createDirectories(Path.of(dir)).resolve(MODEL_FILE);
        Files.write(file, new OnnxGraphBuilder("image-mean")
                .input("image", DataType.FLOAT, -1, 3, 224, 224)
                .output("channel_means", DataType.FLOAT, -1, 3)
                .node("GlobalAveragePool", List.of("image"), List.of("pooled"))
                .node("Flatten", List.of("pooled"), List.of("channel_means"))
                .build("modelgate-bench")
                .toByteArray());
        System.out.println("wrote " + file);
    }
}
