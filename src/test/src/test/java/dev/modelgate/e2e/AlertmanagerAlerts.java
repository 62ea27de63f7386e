package dev.modelgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The active alerts of one model in the real Alertmanager of {@code scripts/services.sh}, read through its v2 API. */
final class AlertmanagerAlerts {

    static final String URL = System.getenv().getOrDefault("MODELGATE_ALERTMANAGER_URL", "http://127.0.0.1:9093");

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final String model;

    AlertmanagerAlerts(String model) {
        this.model = model;
    }

    JsonNode active() throws Exception {
        String filter = URLEncoder.encode("model=\"" + model + "\"", StandardCharsets.UTF_8);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create(URL + "/api/v2/alerts?active=true&filter=" + filter)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }

    /** Delivery is asynchronous: polls until Alertmanager shows {@code count} active alerts for the model. */
    JsonNode await(int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        JsonNode alerts = active();
        while (alerts.size() != count && System.nanoTime() < deadline) {
            Thread.sleep(100);
            alerts = active();
        }
        assertThat(alerts).hasSize(count);
        return alerts;
    }
}
