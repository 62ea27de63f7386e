package dev.modelgate.gateway.api.grpc;

import dev.modelgate.gateway.api.ApiException;
import dev.modelgate.gateway.api.DataPlaneAccess;
import dev.modelgate.gateway.api.InferenceExchange;
import dev.modelgate.gateway.api.InferencePipeline;
import dev.modelgate.gateway.api.RequestIds;
import dev.modelgate.gateway.api.VariantForcing;
import dev.modelgate.gateway.ratelimit.Decision;
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
 * {@code ModelInfer}, top to bottom: read the message within the read deadline, find the model, check the
 * caller's API key and limits as REST does ({@code authorization: Bearer <key>} or {@code x-api-key}
 * metadata; refusals are UNAUTHENTICATED, PERMISSION_DENIED or RESOURCE_EXHAUSTED with {@code retry-after}),
 * decode the tensors (typed or raw contents), then hand the call to the same {@link InferencePipeline} as REST, and
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
    static final String API_KEY = "x-api-key";
    /** gRPC calls have no body as REST has: {@code request_json} stays empty, the tensors are logged as features. */
    private static final byte[] NO_BODY = new byte[0];

    private final Vertx vertx;
    private final ModelRegistry models;
    private final InferencePipeline pipeline;
    private final VariantForcing forcing;
    private final DataPlaneAccess access;
    private final long maxMessageBytes;
    private final long readTimeoutMillis;

    GrpcInference(Vertx vertx, ModelRegistry models, InferencePipeline pipeline, VariantForcing forcing, DataPlaneAccess access,
                  long maxMessageBytes, Duration readTimeout) {
        this.vertx = vertx;
        this.models = models;
        this.pipeline = pipeline;
        this.forcing = forcing;
        this.access = access;
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
        DataPlaneAccess.Verdict caller = access.authenticate(
                DataPlaneAccess.credential(metadata.get("authorization"), metadata.get(API_KEY)), model.name());
        if (!caller.admitted()) {
            refuse(call, message, caller, caller.status(), caller.message(), requestId, startNanos, arrivalMillis, model);
            return;
        }
        access.limit(caller.key(), model.name()).onComplete(limited -> {
            if (limited.failed()) {
                refuse(call, message, caller, 500, "rate limits could not be checked: " + limited.cause().getMessage(),
                        requestId, startNanos, arrivalMillis, model);
                return;
            }
            DataPlaneAccess.Verdict verdict = limited.result();
            rateLimitMetadata(call.response(), verdict.limits());
            if (verdict.admitted()) {
                admitted(call, message, pipelineCall(call, message, requestId, startNanos, arrivalMillis, model, verdict));
            } else {
                call.response().headers().set("retry-after", Long.toString(verdict.limits().retryAfterSeconds()));
                refuse(call, message, verdict, verdict.status(), verdict.message(), requestId, startNanos, arrivalMillis, model);
            }
        });
    }

    private InferencePipeline.Call pipelineCall(GrpcServerRequest<ModelInferRequest, ModelInferResponse> call, ModelInferRequest message,
                                                String requestId, long startNanos, long arrivalMillis, ServedModel model,
                                                DataPlaneAccess.Verdict caller) {
        String header = call.headers().get(UNIT_ID);
        long deadlineNanos = model.config().timeout().toNanos();
        if (call.timeout() > 0) {
            deadlineNanos = Math.min(deadlineNanos, TimeUnit.MILLISECONDS.toNanos(call.timeout()));
        }
        String unitId = header != null && !header.isEmpty() ? header : stringParameter(message, "unit_id");
        return new InferencePipeline.Call(requestId, startNanos, arrivalMillis, model, unitId, NO_BODY, InferenceExchange.GRPC,
                deadlineNanos, caller.keyName());
    }

    /** A refused caller's call is logged as a row with the status REST would have answered, as every other answer. */
    private void refuse(GrpcServerRequest<ModelInferRequest, ModelInferResponse> call, ModelInferRequest message,
                        DataPlaneAccess.Verdict caller, int status, String error, String requestId, long startNanos,
                        long arrivalMillis, ServedModel model) {
        InferencePipeline.Call request = pipelineCall(call, message, requestId, startNanos, arrivalMillis, model, caller);
        pipeline.reject(request, status, error,
                new ProtobufResponder(call.response(), message.getRawInputContentsCount() > 0, request));
    }

    private void admitted(GrpcServerRequest<ModelInferRequest, ModelInferResponse> call, ModelInferRequest message,
                          InferencePipeline.Call request) {
        MultiMap metadata = call.headers();
        Map<String, String> parameters = parameters(message.getParametersMap());
        ProtobufResponder responder = new ProtobufResponder(call.response(), message.getRawInputContentsCount() > 0, request);
        List<Tensor> inputs;
        Route route;
        try {
            inputs = OipTensors.inputs(message);
            route = pipeline.route(request, () -> attributes(parameters, metadata), forcing.forcedVariant(
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
        String callerId = message.getId().isEmpty() ? request.requestId() : message.getId();
        pipeline.serve(request, route, new InferenceRequest(callerId, inputs, outputs), responder);
    }

    /** The IETF draft's RateLimit-Limit / -Remaining / -Reset, as response metadata, for the first limit that applies. */
    private static void rateLimitMetadata(GrpcServerResponse<?, ?> response, Decision decision) {
        if (decision.limited()) {
            response.headers().set("ratelimit-limit", Long.toString(decision.limit()))
                    .set("ratelimit-remaining", Long.toString(decision.remaining()))
                    .set("ratelimit-reset", Long.toString(decision.resetSeconds()));
        }
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

    private static String stringParameter(ModelInferRequest message, String name) {
        InferParameter value = message.getParametersMap().get(name);
        return value == null ? null : parameterText(value);
    }

    /** The request's parameters as strings, as REST's scalar body parameters are. */
    private static Map<String, String> parameters(Map<String, InferParameter> parameters) {
        Map<String, String> out = new HashMap<>();
        parameters.forEach((name, value) -> out.put(name, parameterText(value)));
        return out;
    }

    private static String parameterText(InferParameter value) {
        return switch (value.getParameterChoiceCase()) {
            case BOOL_PARAM -> Boolean.toString(value.getBoolParam());
            case INT64_PARAM -> Long.toString(value.getInt64Param());
            case STRING_PARAM -> value.getStringParam();
            case PARAMETERCHOICE_NOT_SET -> "";
        };
    }

    /** Targeting rules see the call's metadata (lower-cased names) and its parameters, as REST's see headers and parameters. */
    private static Map<String, String> attributes(Map<String, String> parameters, MultiMap metadata) {
        Map<String, String> attributes = new HashMap<>(parameters);
        metadata.forEach(e -> attributes.putIfAbsent(e.getKey().toLowerCase(Locale.ROOT), e.getValue()));
        return attributes;
    }
}
