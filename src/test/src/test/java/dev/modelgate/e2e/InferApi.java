package dev.modelgate.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/** A caller of the gateway's HTTP API, as an application would be, holding the gateway to its OpenAPI document. */
final class InferApi {

    /** Every answer is checked against the gateway's openapi.json before a test sees it. */
    private final HttpClient client = new ContractCheckedClient(HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build());
    private final ObjectMapper mapper = new ObjectMapper();
    private final URI base;

    InferApi(URI base) {
        this.base = base;
    }

    static String fraudRequest(float[] features, String unitId) {
        String data = Arrays.toString(features);
        String parameters = unitId == null ? "" : ",\"parameters\":{\"unit_id\":\"" + unitId + "\"}";
        return "{\"inputs\":[{\"name\":\"features\",\"datatype\":\"FP32\",\"shape\":[1," + features.length + "],\"data\":"
                + data + "}]" + parameters + "}";
    }

    HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return client.send(request(path, body), HttpResponse.BodyHandlers.ofString());
    }

    CompletableFuture<HttpResponse<String>> postAsync(String path, String body) {
        return client.sendAsync(request(path, body), HttpResponse.BodyHandlers.ofString());
    }

    /** A POST with any content type and raw bytes (which need not be valid UTF-8 or JSON); null sends no Content-Type. */
    CompletableFuture<HttpResponse<String>> postAsync(String path, String contentType, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return client.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A control-plane call with the admin token, as {@code actor} (recorded in experiment_decisions); {@code json} may be null. */
    HttpResponse<String> admin(String token, String actor, String method, String path, String json) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .header("X-Actor", actor)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)));
    }

    HttpClient client() {
        return client;
    }

    URI uri(String path) {
        return base.resolve(path);
    }

    JsonNode json(HttpResponse<String> response) throws IOException {
        return mapper.readTree(response.body());
    }

    private HttpRequest request(String path, String body) {
        return HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }
}
