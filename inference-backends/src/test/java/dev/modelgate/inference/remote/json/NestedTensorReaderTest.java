package dev.modelgate.inference.remote.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import dev.modelgate.inference.DataType;
import dev.modelgate.inference.Tensor;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NestedTensorReaderTest {

    private static final JsonFactory JSON = new JsonFactory();

    private static Tensor read(DataType type, String json) throws IOException {
        try (JsonParser parser = JSON.createParser(json)) {
            parser.nextToken();
            return new NestedTensorReader(type, 1).readValue(parser).toTensor("t");
        }
    }

    @Test
    void infersTheShapeFromTheNesting() throws IOException {
        assertThat(read(DataType.INT32, "[[[1],[2],[3]],[[4],[5],[6]]]"))
                .isEqualTo(new Tensor("t", DataType.INT32, new long[] {2, 3, 1}, new int[] {1, 2, 3, 4, 5, 6}));
        assertThat(read(DataType.FP64, "2.5")).isEqualTo(Tensor.ofDoubles("t", new long[0], new double[] {2.5}));
        assertThat(read(DataType.FP32, "[[], []]")).isEqualTo(Tensor.ofFloats("t", new long[] {2, 0}, new float[0]));
    }

    @Test
    void refusesRaggedListsInsteadOfGuessing() {
        assertThatThrownBy(() -> read(DataType.FP32, "[[1, 2], [3]]")).hasMessageContaining("ragged");
        assertThatThrownBy(() -> read(DataType.FP32, "[[1, 2], 3]")).hasMessageContaining("ragged");
        assertThatThrownBy(() -> read(DataType.FP32, "[1, [2]]")).hasMessageContaining("ragged");
    }

    @Test
    void refusesValuesOutsideTheDatatype() {
        assertThatThrownBy(() -> read(DataType.INT8, "[127, 128]")).hasMessageContaining("value 128 is outside INT8");
        assertThatThrownBy(() -> read(DataType.INT64, "[1.5]")).hasMessageContaining("expected an integer for INT64");
        assertThatThrownBy(() -> read(DataType.BOOL, "[1]")).hasMessageContaining("expected true or false");
    }

    @Test
    void keepsEveryFloatExactlyThroughAWriteAndARead() throws IOException {
        float[] values = {Float.MIN_VALUE, Float.MAX_VALUE, 0.1f, -3.4028235e38f, 1.17549435E-38f, 16777217f, (float) Math.PI};
        Tensor original = Tensor.ofFloats("t", new long[] {values.length}, values);
        java.io.StringWriter text = new java.io.StringWriter();
        try (var generator = JSON.createGenerator(text)) {
            TensorJsonWriter.writeNested(generator, original);
        }

        assertThat(read(DataType.FP32, text.toString())).isEqualTo(original);
    }
}
