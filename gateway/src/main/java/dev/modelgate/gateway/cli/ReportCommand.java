package dev.modelgate.gateway.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.gateway.analysis.ReportTable;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code report --url http://gateway:8080 [--token T] EXPERIMENT}: asks a running gateway for the
 * experiment's results and prints them as a table (or the raw JSON with {@code --json}). Asking the
 * gateway rather than ClickHouse keeps one implementation of the analysis and sees the fleet's current
 * experiment definitions, wherever they are stored.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Print an experiment's results (metric, variant, n, estimate, CI, lift, p, p-seq, P(beat), decision).")
final class ReportCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "EXPERIMENT", description = "Experiment name.")
    String experiment;

    @Option(names = "--url", defaultValue = "http://127.0.0.1:8080", description = "Gateway base URL (default: ${DEFAULT-VALUE}).")
    URI url;

    @Option(names = "--token", description = "Admin bearer token (default: $MODELGATE_ADMIN_TOKEN).")
    String token;

    @Option(names = "--json", description = "Print the raw JSON instead of the table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        String bearer = token != null ? token : System.getenv("MODELGATE_ADMIN_TOKEN");
        HttpRequest.Builder request = HttpRequest.newBuilder(url.resolve("/admin/experiments/"
                        + URLEncoder.encode(experiment, StandardCharsets.UTF_8).replace("+", "%20") + "/results"))
                .timeout(Duration.ofSeconds(60));
        if (bearer != null && !bearer.isBlank()) {
            request.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<String> response;
        try {
            response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                    .send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            System.err.println("cannot reach the gateway at " + url + ": " + e);
            return 1;
        }
        if (response.statusCode() != 200) {
            System.err.println("gateway answered " + response.statusCode() + ": " + response.body());
            return 1;
        }
        System.out.print(json ? response.body() + "\n" : ReportTable.render(new ObjectMapper().readTree(response.body())));
        return 0;
    }
}
