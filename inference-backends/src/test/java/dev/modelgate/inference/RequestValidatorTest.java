package dev.modelgate.inference;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class RequestValidatorTest {

    private final ModelMetadata model = new ModelMetadata("scorer", "1", "test",
            List.of(new TensorSpec("features", DataType.FP32, new long[] {-1, 3}),
                    new TensorSpec("segment", DataType.UINT8, new long[] {-1}),
                    new TensorSpec("table", DataType.INT64, new long[] {2})),
            List.of(new TensorSpec("score", DataType.FP32, new long[] {-1, 1}),
                    new TensorSpec("label", DataType.INT64, new long[] {-1})));
    private final RequestValidator validator = new RequestValidator(model);

    private static Tensor features(int rows) {
        return Tensor.ofFloats("features", new long[] {rows, 3}, new float[rows * 3]);
    }

    private static Tensor segment(int... values) {
        return new Tensor("segment", DataType.UINT8, new long[] {values.length}, values);
    }

    private static final Tensor TABLE = new Tensor("table", DataType.INT64, new long[] {2}, new long[] {7, 9});

    private String rejection(List<Tensor> inputs, List<String> outputs) {
        InferenceException e = catchThrowableOfType(InferenceException.class,
                () -> validator.validate(new InferenceRequest("r1", inputs, outputs)));
        assertThat(e).as("expected the request to be rejected").isNotNull();
        assertThat(e.kind()).isEqualTo(InferenceException.Kind.INVALID_INPUT);
        return e.getMessage();
    }

    @Test
    void acceptsARequestThatMatchesTheModel() {
        assertThatCode(() -> validator.validate(new InferenceRequest("r1",
                List.of(TABLE, features(2), segment(0, 255)), List.of("label"))))
                .doesNotThrowAnyException();
    }

    @Test
    void rejectsAMissingInput() {
        assertThat(rejection(List.of(features(2), TABLE), List.of()))
                .startsWith("input 'segment': missing");
    }

    @Test
    void rejectsAnInputTheModelDoesNotHave() {
        assertThat(rejection(List.of(features(1), segment(1), TABLE, Tensor.ofFloats("extra", new long[] {1}, new float[1])),
                List.of()))
                .startsWith("input 'extra': not an input of model 'scorer'")
                .contains("features, segment, table");
    }

    @Test
    void rejectsTheSameInputTwice() {
        assertThat(rejection(List.of(features(1), features(1), segment(1), TABLE), List.of()))
                .isEqualTo("input 'features': given more than once");
    }

    @Test
    void rejectsAnotherDatatypeEvenWhenItCouldBeConverted() {
        Tensor doubles = Tensor.ofDoubles("features", new long[] {1, 3}, new double[3]);
        assertThat(rejection(List.of(doubles, segment(1), TABLE), List.of()))
                .isEqualTo("input 'features': expected FP32, got FP64");
    }

    @Test
    void rejectsAShapeTheModelDoesNotAccept() {
        Tensor wrongWidth = Tensor.ofFloats("features", new long[] {1, 4}, new float[4]);
        assertThat(rejection(List.of(wrongWidth, segment(1), TABLE), List.of()))
                .isEqualTo("input 'features': shape [1, 4] does not fit the model's [-1, 3]");
        Tensor wrongRank = Tensor.ofFloats("features", new long[] {3}, new float[3]);
        assertThat(rejection(List.of(wrongRank, segment(1), TABLE), List.of()))
                .startsWith("input 'features': shape [3] does not fit");
    }

    @Test
    void rejectsInputsThatDisagreeOnTheBatchSize() {
        assertThat(rejection(List.of(features(2), segment(1, 2, 3), TABLE), List.of()))
                .isEqualTo("input 'segment': batch size 3 differs from input 'features' (2)");
    }

    @Test
    void aFixedFirstDimensionIsNotABatch() {
        // 'table' has a fixed [2]: its first dimension must not be compared with the batch of 3
        assertThatCode(() -> validator.validate(new InferenceRequest("r1",
                List.of(features(3), segment(1, 2, 3), TABLE), List.of())))
                .doesNotThrowAnyException();
    }

    @Test
    void rejectsAnIntegerThatDoesNotFitTheDeclaredType() {
        assertThat(rejection(List.of(features(2), segment(3, 256), TABLE), List.of()))
                .isEqualTo("input 'segment': value 256 at index 1 is outside UINT8 [0, 255]");
        assertThat(rejection(List.of(features(1), segment(-1), TABLE), List.of()))
                .startsWith("input 'segment': value -1 at index 0 is outside UINT8");
    }

    @Test
    void rejectsAnOutputTheModelDoesNotHave() {
        assertThat(rejection(List.of(features(1), segment(1), TABLE), List.of("score", "probability")))
                .isEqualTo("output 'probability': not an output of model 'scorer' (outputs: score, label)");
    }
}
