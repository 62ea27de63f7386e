package dev.modelgate.e2e;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** A gateway process with its gRPC listener on a free port, logging to {@code database}, and a grpc-java client to it. */
final class GrpcGateway implements AutoCloseable {

    final GatewayProcess process;
    final int grpcPort;
    final GrpcClients grpc;

    private GrpcGateway(GatewayProcess process, int grpcPort) {
        this.process = process;
        this.grpcPort = grpcPort;
        this.grpc = new GrpcClients(grpcPort);
    }

    static GrpcGateway start(Path config, String database, String instanceId, Path workDir) throws IOException, InterruptedException {
        int grpcPort = GatewayProcess.freePort();
        return new GrpcGateway(GatewayProcess.start(config, Map.of(
                "MODELGATE_CLICKHOUSE_URL", ClickHouse.URL,
                "MODELGATE_CLICKHOUSE_DATABASE", database,
                "MODELGATE_GRPC_PORT", Integer.toString(grpcPort),
                "MODELGATE_INSTANCE_ID", instanceId), workDir), grpcPort);
    }

    @Override
    public void close() throws InterruptedException {
        grpc.close();
        process.close();
    }
}
