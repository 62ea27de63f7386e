package dev.modelgate.gateway.api.grpc;

import io.vertx.grpc.common.GrpcStatus;

/**
 * The gRPC status of an answered exchange. Exchanges carry the HTTP status the REST API would have
 * answered (it is what {@code predictions.status} and the request metrics record, whatever the protocol),
 * and this is the one place that says what each means in gRPC.
 */
final class GrpcStatuses {

    private GrpcStatuses() {}

    static GrpcStatus of(int httpStatus) {
        return switch (httpStatus) {
            case 200 -> GrpcStatus.OK;
            case 400, 422 -> GrpcStatus.INVALID_ARGUMENT;
            case 401 -> GrpcStatus.UNAUTHENTICATED;
            case 403 -> GrpcStatus.PERMISSION_DENIED;
            case 404 -> GrpcStatus.NOT_FOUND;
            case 413, 429 -> GrpcStatus.RESOURCE_EXHAUSTED;
            case 503 -> GrpcStatus.UNAVAILABLE;
            case 504 -> GrpcStatus.DEADLINE_EXCEEDED;
            default -> GrpcStatus.INTERNAL;
        };
    }
}
