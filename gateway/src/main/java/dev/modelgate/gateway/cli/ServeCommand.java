package dev.modelgate.gateway.cli;

import dev.modelgate.gateway.Gateway;
import dev.modelgate.gateway.config.ConfigException;
import dev.modelgate.gateway.config.ConfigLoader;
import dev.modelgate.gateway.config.GatewayConfig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code serve --config FILE}: runs the gateway until SIGTERM/SIGINT, then drains and flushes. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the gateway.")
final class ServeCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "YAML configuration file.")
    Path config;

    @Option(names = "--shutdown-timeout-seconds", defaultValue = "30", description = "How long a shutdown may take to flush events (default: ${DEFAULT-VALUE}).")
    int shutdownTimeoutSeconds;

    @Override
    public Integer call() throws Exception {
        GatewayConfig gatewayConfig;
        try {
            gatewayConfig = new ConfigLoader(System.getenv()).load(config);
        } catch (ConfigException e) {
            System.err.println("invalid configuration: " + e.getMessage());
            return 2;
        }
        DjlDefaults.apply();
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(Gateway.eventLoops()));
        Gateway gateway;
        try {
            gateway = Gateway.start(vertx, gatewayConfig).await(5, TimeUnit.MINUTES);
        } catch (Exception e) {
            vertx.close().await(30, TimeUnit.SECONDS);
            if (configurationProblem(e) != null) {
                // found only when the host is asked (a GPU that is not there): reported like any bad key
                System.err.println("invalid configuration: " + configurationProblem(e).getMessage());
                return 2;
            }
            LOG.error("gateway failed to start: {}", e.getMessage(), e);
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("shutting down: draining requests and flushing events");
            // two separate waits: a future chained onto close() would complete on an event loop close() stops
            try {
                gateway.stop().await(shutdownTimeoutSeconds, TimeUnit.SECONDS);
                vertx.close().await(shutdownTimeoutSeconds, TimeUnit.SECONDS);
                LOG.info("stopped");
            } catch (Exception e) {
                LOG.error("shutdown did not complete cleanly: {}", e.toString());
            } finally {
                stopped.countDown();
            }
        }, "modelgate-shutdown"));
        stopped.await();
        return 0;
    }

    private static ConfigException configurationProblem(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConfigException problem) {
                return problem;
            }
        }
        return null;
    }
}
