package dev.modelgate.e2e;

/** The demo's fraud model as a KServe v2 server in the tests describes and answers it. */
final class FraudRemote {

    /** The name the model has on the test's server. */
    static final String NAME = "fraud-remote";
    static final String METADATA = """
            {"name": "fraud-remote", "versions": ["7"], "platform": "triton",
             "inputs": [{"name": "features", "datatype": "FP32", "shape": [-1, 12]}],
             "outputs": [{"name": "fraud_probability", "datatype": "FP32", "shape": [-1, 1]}]}""";
    static final String ANSWER = """
            {"model_name": "fraud-remote", "model_version": "7", "id": "x",
             "outputs": [{"name": "fraud_probability", "datatype": "FP32", "shape": [1, 1], "data": [0.25]}]}""";
    static final String ONE_ROW = "{\"inputs\":[{\"name\":\"features\",\"datatype\":\"FP32\",\"shape\":[1,12],"
            + "\"data\":[120.5,400,2,75,12,0,14,0.3,1,0,200,1.1]}]}";

    private FraudRemote() {}
}
