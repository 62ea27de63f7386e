package dev.modelgate.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelgate.inference.DataType;
import dev.modelgate.inference.Tensor;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InferRequestDecoderTest {

    private final InferRequestDecoder decoder = new InferRequestDecoder();

    private InferRequestDecoder.DecodedRequest decode(String json) {
        return decoder.decode(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String single(String datatype, String shape, String data) {
        return "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"" + datatype + "\",\"shape\":" + shape + ",\"data\":" + data + "}]}";
    }

    @Test
    void decodesEveryDatatypeIntoItsStorage() {
        assertThat(decode(single("BOOL", "[2]", "[true,false]")).inputs().get(0).data()).isEqualTo(new boolean[] {true, false});
        assertThat(decode(single("INT8", "[2]", "[-128,127]")).inputs().get(0).data()).isEqualTo(new int[] {-128, 127});
        assertThat(decode(single("UINT8", "[1]", "[255]")).inputs().get(0).data()).isEqualTo(new int[] {255});
        assertThat(decode(single("INT32", "[2]", "[-7,2147483647]")).inputs().get(0).data()).isEqualTo(new int[] {-7, Integer.MAX_VALUE});
        assertThat(decode(single("UINT32", "[1]", "[4294967295]")).inputs().get(0).data()).isEqualTo(new long[] {4294967295L});
        assertThat(decode(single("INT64", "[1]", "[9223372036854775807]")).inputs().get(0).data()).isEqualTo(new long[] {Long.MAX_VALUE});
        assertThat(decode(single("FP32", "[2]", "[1.5,-2]")).inputs().get(0).data()).isEqualTo(new float[] {1.5f, -2f});
        assertThat(decode(single("FP64", "[1]", "[0.1]")).inputs().get(0).data()).isEqualTo(new double[] {0.1});
        assertThat(decode(single("BYTES", "[2]", "[\"a\",\"ü\"]")).inputs().get(0).data()).isEqualTo(new String[] {"a", "ü"});
    }

    @Test
    void numbersDecodeToTheNearestValueAsJavaParsesThem() {
        // halfway and near-halfway cases, subnormals, the extremes, long mantissas
        String[] texts = {"0.1", "2.2250738585072011e-308", "4.9e-324", "1.7976931348623157e308", "9007199254740993",
                "0.30000000000000004", "1.00000000000000011102230246251565404236316680908203125", "3.4028235e38", "1.4e-45",
                "123456789.123456789e-3", "-0.0"};
        String data = "[" + String.join(",", texts) + "]";
        double[] doubles = (double[]) decode(single("FP64", "[" + texts.length + "]", data)).inputs().get(0).data();
        for (int i = 0; i < texts.length; i++) {
            assertThat(doubles[i]).as(texts[i]).isEqualTo(Double.parseDouble(texts[i]));
            if (Math.abs(doubles[i]) <= Float.MAX_VALUE) {
                float single = ((float[]) decode(single("FP32", "[1]", "[" + texts[i] + "]")).inputs().get(0).data())[0];
                assertThat(single).as(texts[i]).isEqualTo((float) Double.parseDouble(texts[i]));
            }
        }
    }

    @Test
    void nestedDataIsFlattenedRowMajor() {
        Tensor t = decode(single("FP32", "[2,3]", "[[1,2,3],[4,5,6]]")).inputs().get(0);
        assertThat(t.shape()).containsExactly(2, 3);
        assertThat(t.data()).isEqualTo(new float[] {1, 2, 3, 4, 5, 6});
        Tensor flat = decode(single("FP32", "[2,3]", "[1,2,3,4,5,6]")).inputs().get(0);
        assertThat(flat).isEqualTo(t);
        assertThat(t.datatype()).isEqualTo(DataType.FP32);
    }

    @Test
    void readsIdUnitIdAndRequestedOutputs() {
        var decoded = decode("{\"id\":\"r1\",\"parameters\":{\"unit_id\":\"user-7\"},"
                + "\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1],\"data\":[1]}],"
                + "\"outputs\":[{\"name\":\"y\"}]}");
        assertThat(decoded.id()).isEqualTo("r1");
        assertThat(decoded.unitId()).isEqualTo("user-7");
        assertThat(decoded.requestedOutputs()).containsExactly("y");
    }

    @Test
    void aBodyIsPlainWhenItSaysNothingButItsIdFlatNumericTensorsAndOutputNames() {
        String tensor = "{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[2],\"data\":[1,2.5]}";
        assertThat(decode("{\"inputs\":[" + tensor + "]}").plain()).isTrue();
        assertThat(decode("{\"id\":\"r1\",\"inputs\":[" + tensor + "],\"outputs\":[{\"name\":\"y\"}]}").plain()).isTrue();
        assertThat(decode(single("INT64", "[1]", "[9223372036854775807]")).plain()).isTrue();

        // what a server could read otherwise than the gateway did, or what the gateway does not send on
        assertThat(decode("{\"parameters\":{\"unit_id\":\"u\"},\"inputs\":[" + tensor + "]}").plain()).isFalse();
        assertThat(decode("{\"id\":null,\"inputs\":[" + tensor + "]}").plain()).isFalse();
        assertThat(decode("{\"inputs\":[" + tensor + "],\"extra\":1}").plain()).isFalse();
        assertThat(decode("{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[2],\"data\":[1,2],"
                + "\"parameters\":{\"binary_data\":true}}]}").plain()).isFalse();
        assertThat(decode("{\"inputs\":[" + tensor + "],\"outputs\":[{\"name\":\"y\",\"parameters\":{\"binary_data\":true}}]}")
                .plain()).isFalse();
        assertThat(decode(single("FP32", "[1,2]", "[[1,2]]")).plain()).isFalse();
        assertThat(decode("{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"data\":[1],\"datatype\":\"FP32\"}]}").plain()).isFalse();
        assertThat(decode(single("BOOL", "[1]", "[true]")).plain()).isFalse();
        assertThat(decode(single("FP16", "[1]", "[0.1]")).plain()).isFalse();
        assertThat(decode(single("BYTES", "[1]", "[\"a\"]")).plain()).isFalse();
    }

    @Test
    void theOrderOfATensorsFieldsDoesNotChangeWhatIsDecoded() {
        Tensor datatypeFirst = decode("{\"inputs\":[{\"name\":\"x\",\"datatype\":\"INT16\",\"shape\":[2,2],\"data\":[[1,-2],[3,4]]}]}")
                .inputs().get(0);
        Tensor dataFirst = decode("{\"inputs\":[{\"data\":[[1,-2],[3,4]],\"shape\":[2,2],\"name\":\"x\",\"datatype\":\"INT16\"}]}")
                .inputs().get(0);

        assertThat(dataFirst).isEqualTo(datatypeFirst);
        assertThat(datatypeFirst.data()).isEqualTo(new int[] {1, -2, 3, 4});
    }

    @Test
    void aBodyWithSeveralFaultsGetsTheSameErrorWhateverTheOrderOfItsFields() {
        // the element count is checked before the elements, the parameters before the inputs
        assertThatThrownBy(() -> decode(single("FP32", "[3]", "[\"a\",2]")))
                .hasMessageContaining("shape [3] needs 3 elements, data has 2");
        assertThatThrownBy(() -> decode("{\"inputs\":[{\"data\":[\"a\",2],\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[3]}]}"))
                .hasMessageContaining("shape [3] needs 3 elements, data has 2");
        assertThatThrownBy(() -> decode("{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1],\"data\":[\"a\"]}],"
                + "\"parameters\":{\"unit_id\":5}}"))
                .hasMessageContaining("'parameters.unit_id' must be a string");
        assertThatThrownBy(() -> decode(single("INT8", "[3]", "[1,{\"a\":[1]},300]")))
                .hasMessageContaining("input 'x': data[1] = {\"a\":[1]} is not a valid INT8");
    }

    @Test
    void unknownFieldsAreSkippedAtAnyDepth() {
        var decoded = decode("{\"extra\":{\"deep\":[1,{\"x\":2}]},\"inputs\":[{\"name\":\"x\",\"parameters\":{\"p\":[1]},"
                + "\"datatype\":\"BOOL\",\"shape\":[1],\"data\":[true]}]}");

        assertThat(decoded.inputs().get(0).data()).isEqualTo(new boolean[] {true});
    }

    @Test
    void scalarShapeHoldsOneElement() {
        assertThat(decode(single("INT64", "[]", "[3]")).inputs().get(0).size()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            malformed JSON            | {"inputs": [                                                                   | malformed JSON
            not an object             | [1,2]                                                                          | JSON object
            no inputs                 | {"id":"x"}                                                                     | 'inputs'
            empty inputs              | {"inputs":[]}                                                                  | 'inputs'
            unknown datatype          | {"inputs":[{"name":"x","datatype":"FP128","shape":[1],"data":[1]}]}            | input 'x': unknown datatype 'FP128'
            missing datatype          | {"inputs":[{"name":"x","shape":[1],"data":[1]}]}                               | input 'x': 'datatype' is required
            missing name              | {"inputs":[{"datatype":"FP32","shape":[1],"data":[1]}]}                        | inputs[0] needs a 'name'
            fraction as dimension     | {"inputs":[{"name":"x","datatype":"FP32","shape":[1.5],"data":[1]}]}           | input 'x': shape[0] must be a non-negative integer
            list as dimension         | {"inputs":[{"name":"x","datatype":"FP32","shape":[[1]],"data":[1]}]}           | input 'x': shape[0] must be a non-negative integer
            shape not a list          | {"inputs":[{"name":"x","datatype":"FP32","shape":"1","data":[1]}]}             | input 'x': 'shape' must be a list of dimensions
            name not a string         | {"inputs":[{"name":5,"datatype":"FP32","shape":[1],"data":[1]}]}               | inputs[0] needs a 'name'
            id not a string           | {"id":7,"inputs":[{"name":"x","datatype":"FP32","shape":[1],"data":[1]}]}      | 'id' must be a string
            negative dimension        | {"inputs":[{"name":"x","datatype":"FP32","shape":[-1],"data":[1]}]}            | input 'x': shape[0]
            shape/data mismatch       | {"inputs":[{"name":"x","datatype":"FP32","shape":[1,3],"data":[1,2]}]}         | input 'x': shape [1, 3] needs 3 elements, data has 2
            string in FP32            | {"inputs":[{"name":"x","datatype":"FP32","shape":[1],"data":["a"]}]}           | input 'x': data[0] = "a" is not a valid FP32
            fraction in INT32         | {"inputs":[{"name":"x","datatype":"INT32","shape":[1],"data":[1.5]}]}          | input 'x': data[0] = 1.5 is not a valid INT32
            INT8 out of range         | {"inputs":[{"name":"x","datatype":"INT8","shape":[1],"data":[128]}]}           | out of range for INT8
            negative UINT16           | {"inputs":[{"name":"x","datatype":"UINT16","shape":[1],"data":[-1]}]}          | out of range for UINT16
            FP32 overflow             | {"inputs":[{"name":"x","datatype":"FP32","shape":[1],"data":[1e39]}]}          | overflows FP32
            number as BOOL            | {"inputs":[{"name":"x","datatype":"BOOL","shape":[1],"data":[1]}]}             | not a valid BOOL
            duplicate input           | {"inputs":[{"name":"x","datatype":"FP32","shape":[1],"data":[1]},{"name":"x","datatype":"FP32","shape":[1],"data":[2]}]} | input 'x' appears more than once
            duplicate key             | {"inputs":[{"name":"x","name":"y","datatype":"FP32","shape":[1],"data":[1]}]}  | malformed JSON
            data not a list           | {"inputs":[{"name":"x","datatype":"FP32","shape":[1],"data":1}]}               | input 'x': 'data' must be a list
            unit id not a string      | {"parameters":{"unit_id":5},"inputs":[{"name":"x","datatype":"FP32","shape":[1],"data":[1]}]} | 'parameters.unit_id' must be a string
            output without name       | {"inputs":[{"name":"x","datatype":"FP32","shape":[1],"data":[1]}],"outputs":[{}]} | outputs[0] needs a 'name'
            trailing garbage          | {"inputs":[{"name":"x","datatype":"FP32","shape":[1],"data":[1]}]} xyz         | malformed JSON
            a second JSON value       | {"inputs":[{"name":"x","datatype":"FP32","shape":[1],"data":[1]}]} {}          | malformed JSON
            empty body                | ''                                                                             | JSON object
            huge integer in INT64     | {"inputs":[{"name":"x","datatype":"INT64","shape":[1],"data":[99999999999999999999]}]} | data[0] = 99999999999999999999 is not a valid INT64
            """)
    void rejectsWithAMessageNamingTheProblem(String kind, String body, String expectedMessage) {
        assertThatThrownBy(() -> decode(body))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageContaining(expectedMessage);
    }
}
