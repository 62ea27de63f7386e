package dev.modelgate.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.inference.DataType;
import dev.modelgate.inference.InferenceResponse;
import dev.modelgate.inference.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class InferResponseEncoderTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void writesTheProtocolResponseWithRoutingParameters() throws Exception {
        var response = new InferenceResponse("m", "3", "caller-1", List.of(
                Tensor.ofFloats("p", new long[] {2, 1}, new float[] {0.25f, 0.75f}),
                new Tensor("label", DataType.INT64, new long[] {2}, new long[] {0, 1}),
                new Tensor("ok", DataType.BOOL, new long[] {1}, new boolean[] {true}),
                new Tensor("tag", DataType.BYTES, new long[] {1}, new String[] {"\"q\""})));
        byte[] json = new InferResponseEncoder().encode(response, "fraud", new InferResponseEncoder.Routing("rid", "v2", "exp")).getBytes();

        JsonNode root = mapper.readTree(json);
        assertThat(root.get("model_name").asText()).isEqualTo("fraud");
        assertThat(root.get("model_version").asText()).isEqualTo("3");
        assertThat(root.get("id").asText()).isEqualTo("caller-1");
        assertThat(root.at("/parameters/request_id").asText()).isEqualTo("rid");
        assertThat(root.at("/parameters/variant").asText()).isEqualTo("v2");
        assertThat(root.at("/parameters/experiment").asText()).isEqualTo("exp");
        JsonNode p = root.get("outputs").get(0);
        assertThat(p.get("datatype").asText()).isEqualTo("FP32");
        assertThat(p.get("shape").toString()).isEqualTo("[2,1]");
        assertThat(p.get("data").toString()).isEqualTo("[0.25,0.75]");
        assertThat(root.at("/outputs/1/data").toString()).isEqualTo("[0,1]");
        assertThat(root.at("/outputs/2/data").toString()).isEqualTo("[true]");
        assertThat(root.at("/outputs/3/data/0").asText()).isEqualTo("\"q\"");
    }

    @Test
    void floatsKeepTheirShortestDecimalForm() throws Exception {
        var response = new InferenceResponse("m", "", "i", List.of(Tensor.ofFloats("p", new long[] {1}, new float[] {0.1f})));
        JsonNode root = mapper.readTree(new InferResponseEncoder().encode(response, "m", new InferResponseEncoder.Routing("r", "v", "")).getBytes());
        assertThat(root.at("/outputs/0/data/0").asText()).isEqualTo("0.1");
    }

    @Test
    void nonFiniteValuesBecomeNullSoTheBodyStaysValidJson() throws Exception {
        var response = new InferenceResponse("m", "", "i", List.of(
                Tensor.ofDoubles("p", new long[] {2}, new double[] {Double.NaN, Double.POSITIVE_INFINITY})));
        JsonNode root = mapper.readTree(new InferResponseEncoder().encode(response, "m", new InferResponseEncoder.Routing("r", "v", "")).getBytes());
        assertThat(root.at("/outputs/0/data").toString()).isEqualTo("[null,null]");
    }
}
