package dev.modelgate.gateway.api.grpc;

import dev.modelgate.gateway.api.ApiException;
import dev.modelgate.gateway.api.InferenceExchange;
import dev.modelgate.gateway.api.InferencePipeline;
import dev.modelgate.gateway.api.RequestIds;
import dev.modelgate.gateway.api.VariantForcing;
import dev.modelgate.gateway.routing.Route;
import dev.modelgate.gateway.serving.ModelRegistry;
import dev.modelgate.gateway.serving.ServedModel;
import dev.modelgate.inference.InferenceRequest;
import dev.modelgate.inference.Tensor;
import dev.modelgate.inference.oip.OipService;
import dev.modelgate.inference.oip.OipTensors;
import dev.modelgate.inference.oip.proto.InferParameter;
import dev.modelgate.inference.oip.proto.ModelInferRequest;
import dev.modelgate.inference.oip.proto.ModelInferResponse;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.InvalidMessageException;
import io.vertx.grpc.common.MessageSizeOverflowException;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code ModelInfer}, top to bottom: read the message within the read deadline, find the model, decode the
 * tensors (typed or raw contents), then hand the call to the same {@link InferencePipeline} as REST, and
 * answer in the caller's encoding: raw output contents to a caller that sent raw input contents. The unit
 * id comes from the {@code x-unit-id} metadata or the {@code unit_id} parameter; the deadline is the
 * model's, or the caller's {@code grpc-timeout} when shorter; the request id, variant and experiment go
 * back as response metadata ({@code x-request-id}, {@code x-variant}, {@code x-experiment}) and in the
 * response's parameters.
 */
final class GrpcInference {

    static final String UNIT_ID = "x-unit-id";
    static final String REQUEST_ID = "x-request-id";
    static final String VARIANT = "x-variant";
    static final String EXPERIMENT = "x-experiment";
    /** gRPC calls have no body as REST has: {@code request_json} stays empty, the tensors are logged as features. */
    private static final byte[] NO_BODY = new byte[0];
    /** API keys guard the HTTP listener only so far: gRPC calls are logged as anonymous. */
    private static final String NO_API_KEY = "";

    private final Vertx vertx;
    private final ModelRegistry models;
    private final InferencePipeline pipeline;
    private final VariantForcing forcing;
    private final long maxMessageBytes;
    private final long readTimeoutMillis;

    GrpcInference(Vertx vertx, ModelRegistry models, InferencePipeline pipeline, VariantForcing forcing, long maxMessageBytes,
                  Duration readTimeout) {
        this.vertx = vertx;
        this.models = models;
        this.pipeline = pipeline;
        this.forcing = forcing;
        this.maxMessageBytes = maxMessageBytes;
        this.readTimeoutMillis = readTimeout.toMillis();
    }

    void mount(GrpcServer server) {
        server.callHandler(OipService.MODEL_INFER.server(), this::handle);
    }

    private void handle(GrpcServerRequest<ModelInferRequest, ModelInferResponse> call) {
        long startNanos = System.nanoTime();
        long arrivalMillis = System.currentTimeMillis();
        String requestId = RequestIds.next();
        GrpcServerResponse<ModelInferRequest, ModelInferResponse> response = call.response();
        response.headers().set(REQUEST_ID, requestId);
        // a call whose message trickles in holds a stream: it gets the HTTP listener's request-read deadline
        long readDeadline = vertx.setTimer(readTimeoutMillis, expired -> fail(response, GrpcStatus.DEADLINE_EXCEEDED,
                "request message not received within " + readTimeoutMillis + " ms"));
        call.invalidMessageHandler(invalid -> {
            vertx.cancelTimer(readDeadline);
            pipeline.unknownModel(InferenceExchange.GRPC, invalidMessage(response, invalid), startNanos);
        });
        call.last().onComplete(read -> {
            vertx.cancelTimer(readDeadline);
            if (read.succeeded()) {
                infer(call, read.result(), requestId, startNanos, arrivalMillis);
            }
        });
    }

    /** Answers a message that could not be read; returns the HTTP status that stands for the answer. */
    private int invalidMessage(GrpcServerResponse<?, ?> response, InvalidMessageException invalid) {
        if (invalid instanceof MessageSizeOverflowException overflow) {
            fail(response, GrpcStatus.RESOURCE_EXHAUSTED, "request message of " + overflow.messageSize()
                    + " bytes is over the limit of " + maxMessageBytes + " bytes (server.grpc_max_message_bytes)");
            return 413;
        }
        fail(response, GrpcStatus.INVALID_ARGUMENT, "request message is not a valid ModelInferRequest: " + invalid.getMessage());
        return 400;
    }

    private void infer(GrpcServerRequest<ModelInferRequest, ModelInferResponse> call, ModelInferRequest message, String requestId,
                       long startNanos, long arrivalMillis) {
        ServedModel model = models.find(message.getModelName()).orElse(null);
        if (model == null) {
            fail(call.response(), GrpcStatus.NOT_FOUND, "model '" + message.getModelName() + "' not found");
            pipeline.unknownModel(InferenceExchange.GRPC, 404, startNanos);
            return;
        }
        MultiMap metadata = call.headers();
        String header = metadata.get(UNIT_ID);
        Map<String, String> parameters = parameters(message.getParametersMap());
        long deadlineNanos = model.config().timeout().toNanos();
        if (call.timeout() > 0) {
            deadlineNanos = Math.min(deadlineNanos, TimeUnit.MILLISECONDS.toNanos(call.timeout()));
        }
        InferencePipeline.Call request = new InferencePipeline.Call(requestId, startNanos, arrivalMillis, model,
                header != null && !header.isEmpty() ? header : parameters.get("unit_id"), NO_BODY, InferenceExchange.GRPC, deadlineNanos,
                NO_API_KEY);
        ProtobufResponder responder = new ProtobufResponder(call.response(), message.getRawInputContentsCount() > 0, request);
        List<Tensor> inputs;
        Route route;
        try {
            inputs = OipTensors.inputs(message);
            route = pipeline.route(request, attributes(parameters, metadata), forcing.forcedVariant(
                    metadata.get(VariantForcing.HEADER), metadata.get("authorization")));
        } catch (ApiException e) {
            pipeline.reject(request, e.status(), e.getMessage(), responder);
            return;
        } catch (IllegalArgumentException e) {
            pipeline.reject(request, 400, e.getMessage(), responder);
            return;
        }
        List<String> outputs = new ArrayList<>(message.getOutputsCount());
        message.getOutputsList().forEach(output -> outputs.add(output.getName()));
        String callerId = message.getId().isEmpty() ? requestId : message.getId();
        pipeline.serve(request, route, new InferenceRequest(callerId, inputs, outputs), responder);
    }

    /** The answer as a ModelInferResponse, or the exchange's error as a gRPC status. */
    private final class ProtobufResponder implements InferencePipeline.Responder {

        private final GrpcServerResponse<ModelInferRequest, ModelInferResponse> response;
        private final boolean raw;
        private final InferencePipeline.Call call;

        ProtobufResponder(GrpcServerResponse<ModelInferRequest, ModelInferResponse> response, boolean raw, InferencePipeline.Call call) {
            this.response = response;
            this.raw = raw;
            this.call = call;
        }

        @Override
        public Runnable prepare(InferenceExchange exchange) {
            if (exchange.status() != 200) {
                return () -> {
                    routingHeaders(exchange);
                    fail(response, GrpcStatuses.of(exchange.status()), exchange.error());
                };
            }
            ModelInferResponse.Builder answer = ModelInferResponse.newBuilder()
                    .setModelName(exchange.model().name())
                    .setModelVersion(exchange.response().modelVersion())
                    .setId(exchange.response().id())
                    .putParameters("request_id", text(exchange.requestId()))
                    .putParameters("variant", text(exchange.servedVariant()))
                    .putParameters("experiment", text(exchange.experiment()));
            ModelInferResponse built = OipTensors.addOutputs(answer, exchange.response().outputs(), raw).build();
            return () -> {
                routingHeaders(exchange);
                try {
                    response.send(built);
                } catch (IllegalStateException callerGone) {
                    // the caller cancelled or its deadline passed: the exchange is logged, there is no one to answer
                }
            };
        }

        @Override
        public void cannotAnswer(InferenceExchange exchange, RuntimeException failure) {
            pipeline.reject(call, 500, "cannot encode the answer: " + failure.getMessage(), this);
        }

        private void routingHeaders(InferenceExchange exchange) {
            response.headers().set(VARIANT, exchange.servedVariant()).set(EXPERIMENT, exchange.experiment());
        }
    }

    private static void fail(GrpcServerResponse<?, ?> response, GrpcStatus status, String message) {
        try {
            response.status(status).statusMessage(message).end();
        } catch (IllegalStateException alreadyAnswered) {
            // the read deadline and the message raced, or the caller is gone: the first answer stands
        }
    }

    private static InferParameter text(String value) {
        return InferParameter.newBuilder().setStringParam(value).build();
    }

    /** The request's parameters as strings, as REST's scalar body parameters are. */
    private static Map<String, String> parameters(Map<String, InferParameter> parameters) {
        Map<String, String> out = new HashMap<>();
        parameters.forEach((name, value) -> out.put(name, switch (value.getParameterChoiceCase()) {
            case BOOL_PARAM -> Boolean.toString(value.getBoolParam());
            case INT64_PARAM -> Long.toString(value.getInt64Param());
            case STRING_PARAM -> value.getStringParam();
            case PARAMETERCHOICE_NOT_SET -> "";
        }));
        return out;
    }

    /** Targeting rules see the call's metadata (lower-cased names) and its parameters, as REST's see headers and parameters. */
    private static Map<String, String> attributes(Map<String, String> parameters, MultiMap metadata) {
        Map<String, String> attributes = new HashMap<>(parameters);
        metadata.forEach(e -> attributes.putIfAbsent(e.getKey().toLowerCase(Locale.ROOT), e.getValue()));
        return attributes;
    }
}
