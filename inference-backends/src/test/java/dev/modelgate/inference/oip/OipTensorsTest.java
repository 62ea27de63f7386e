package dev.modelgate.inference.oip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.modelgate.inference.DataType;
import dev.modelgate.inference.Tensor;
import dev.modelgate.inference.oip.proto.InferTensorContents;
import dev.modelgate.inference.oip.proto.ModelInferRequest;
import dev.modelgate.inference.oip.proto.ModelInferResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

class OipTensorsTest {

    private static final List<Tensor> EVERY_TYPE = List.of(
            new Tensor("bool", DataType.BOOL, new long[] {2}, new boolean[] {true, false}),
            new Tensor("u8", DataType.UINT8, new long[] {2}, new int[] {0, 255}),
            new Tensor("u16", DataType.UINT16, new long[] {2}, new int[] {0, 65_535}),
            new Tensor("u32", DataType.UINT32, new long[] {2}, new long[] {0, 4_294_967_295L}),
            new Tensor("u64", DataType.UINT64, new long[] {2}, new long[] {0, Long.MAX_VALUE}),
            new Tensor("i8", DataType.INT8, new long[] {2}, new int[] {-128, 127}),
            new Tensor("i16", DataType.INT16, new long[] {2}, new int[] {-32_768, 32_767}),
            new Tensor("i32", DataType.INT32, new long[] {2}, new int[] {Integer.MIN_VALUE, Integer.MAX_VALUE}),
            new Tensor("i64", DataType.INT64, new long[] {2}, new long[] {Long.MIN_VALUE, Long.MAX_VALUE}),
            new Tensor("fp32", DataType.FP32, new long[] {2, 2}, new float[] {1.5f, -2.25f, Float.NaN, Float.MIN_VALUE}),
            new Tensor("fp64", DataType.FP64, new long[] {1, 2}, new double[] {Math.PI, -1e300}),
            new Tensor("bytes", DataType.BYTES, new long[] {3}, new String[] {"", "caf\u00e9", "\uD83D\uDE80"}));

    @Test
    void everyDatatypeSurvivesRawAndTypedContents() {
        for (boolean raw : new boolean[] {true, false}) {
            List<Tensor> typed = EVERY_TYPE;
            ModelInferRequest request = OipTensors.addInputs(ModelInferRequest.newBuilder(), typed, raw).build();
            assertThat(request.getRawInputContentsCount()).isEqualTo(raw ? typed.size() : 0);
            assertThat(OipTensors.inputs(request)).as(raw ? "raw" : "typed").containsExactlyElementsOf(typed);

            ModelInferResponse response = OipTensors.addOutputs(ModelInferResponse.newBuilder(), typed, raw).build();
            assertThat(OipTensors.outputs(response)).containsExactlyElementsOf(typed);
        }
    }

    @Test
    void rawContentsAreLittleEndianRowMajorAndBytesCarryFourByteLengths() {
        ModelInferRequest request = OipTensors.addInputs(ModelInferRequest.newBuilder(), List.of(
                new Tensor("x", DataType.FP32, new long[] {1, 2}, new float[] {1.0f, -2.0f}),
                new Tensor("s", DataType.BYTES, new long[] {2}, new String[] {"ab", "c"})), true).build();
        // 1.0f = 0x3F800000, -2.0f = 0xC0000000, least significant byte first
        assertThat(request.getRawInputContents(0).toByteArray()).containsExactly(0, 0, (byte) 0x80, 0x3F, 0, 0, 0, (byte) 0xC0);
        assertThat(request.getRawInputContents(1).toByteArray()).containsExactly(2, 0, 0, 0, 'a', 'b', 1, 0, 0, 0, 'c');
    }

    @Test
    void halfPrecisionTravelsRawWithIeeeBitPatterns() {
        // IEEE 754 binary16: 1.0 = 0x3C00, -2.0 = 0xC000, 65504 (largest) = 0x7BFF, 2^-24 (smallest subnormal) = 0x0001
        Tensor half = new Tensor("h", DataType.FP16, new long[] {4}, new float[] {1.0f, -2.0f, 65_504f, 0x1p-24f});
        ModelInferRequest request = OipTensors.addInputs(ModelInferRequest.newBuilder(), List.of(half), false).build();
        assertThat(request.getRawInputContentsCount()).as("FP16 has no typed field: always raw").isEqualTo(1);
        assertThat(request.getRawInputContents(0).toByteArray())
                .containsExactly(0x00, 0x3C, 0x00, (byte) 0xC0, (byte) 0xFF, 0x7B, 0x01, 0x00);
        assertThat(OipTensors.inputs(request)).containsExactly(half);
    }

    @Test
    void badInputsAreRefusedNamingTheInput() {
        assertRefused(input("x", "FP32", ByteString.copyFrom(new byte[40]), 1, 12), "input 'x': raw contents hold 40 bytes, 12 FP32 elements need 48");
        assertRefused(input("x", "FP128", null, 1), "input 'x': unknown datatype 'FP128'");
        assertRefused(input("x", "FP32", null, 1, -1), "input 'x': shape [1, -1] has a negative dimension");
        assertRefused(input("x", "FP32", null, 1, 3), "input 'x': shape [1, 3] needs 3 elements, FP32 contents hold 1");
        assertRefused(input("x", "BYTES", ByteString.copyFrom(new byte[] {9, 0, 0, 0, 'a'}), 1),
                "input 'x': raw BYTES element 0 claims 9 bytes, 1 remain");
        assertRefused(input("x", "BYTES", ByteString.copyFrom(new byte[] {1, 0, 0, 0, 'a', 'b'}), 1),
                "input 'x': raw BYTES contents hold 1 bytes after its 1 elements");
        ModelInferRequest outOfRange = ModelInferRequest.newBuilder().addInputs(ModelInferRequest.InferInputTensor.newBuilder()
                .setName("x").setDatatype("INT8").addShape(1).setContents(InferTensorContents.newBuilder().addIntContents(300))).build();
        assertRefused(outOfRange, "input 'x': element 0 (300) is out of range for INT8");
        ModelInferRequest twoRawForOne = input("x", "FP32", ByteString.copyFrom(new byte[4]), 1).toBuilder()
                .addRawInputContents(ByteString.copyFrom(new byte[4])).build();
        assertRefused(twoRawForOne, "raw_input_contents has 2 entries for 1 inputs: one per input, in the order of inputs");
        ModelInferRequest both = input("x", "FP32", ByteString.copyFrom(new byte[4]), 1).toBuilder()
                .setInputs(0, input("x", "FP32", null, 1).getInputs(0)).build();
        assertRefused(both, "input 'x': has both contents and raw contents; send one of them");
        assertRefused(ModelInferRequest.getDefaultInstance(), "the request has no inputs");
    }

    /** One input; typed contents of one FP32 1.0 unless {@code raw} is given. */
    private static ModelInferRequest input(String name, String datatype, ByteString raw, long... shape) {
        ModelInferRequest.InferInputTensor.Builder tensor = ModelInferRequest.InferInputTensor.newBuilder().setName(name).setDatatype(datatype);
        for (long dim : shape) {
            tensor.addShape(dim);
        }
        ModelInferRequest.Builder request = ModelInferRequest.newBuilder();
        if (raw == null) {
            tensor.setContents(InferTensorContents.newBuilder().addFp32Contents(1.0f));
        } else {
            request.addRawInputContents(raw);
        }
        return request.addInputs(tensor).build();
    }

    private static void assertRefused(ModelInferRequest request, String message) {
        assertThatThrownBy(() -> OipTensors.inputs(request)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }
}
