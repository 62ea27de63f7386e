package dev.modelgate.gateway.serving;

import dev.modelgate.gateway.config.BackendConfig;
import dev.modelgate.gateway.config.OnnxBackendConfig;
import dev.modelgate.gateway.config.PyTorchBackendConfig;
import dev.modelgate.gateway.config.RemoteBackendConfig;
import dev.modelgate.gateway.config.VariantConfig;
import dev.modelgate.gateway.config.XgboostBackendConfig;
import dev.modelgate.inference.InferenceBackend;
import dev.modelgate.inference.ModelMetadata;
import dev.modelgate.inference.djl.DeviceChoice;
import dev.modelgate.inference.djl.DjlModelSettings;
import dev.modelgate.inference.onnx.OnnxRuntimeBackend;
import dev.modelgate.inference.onnx.OnnxRuntimeSettings;
import dev.modelgate.inference.pytorch.PyTorchBackend;
import dev.modelgate.inference.pytorch.PyTorchSettings;
import dev.modelgate.inference.remote.ReconnectingBackend;
import dev.modelgate.inference.remote.RemoteBackend;
import dev.modelgate.inference.remote.RemoteEndpoint;
import dev.modelgate.inference.remote.RemoteTls;
import dev.modelgate.inference.remote.RemoteProtocol;
import dev.modelgate.inference.remote.grpc.GrpcRemoteBackend;
import dev.modelgate.inference.remote.http.HttpJsonProtocol;
import dev.modelgate.inference.remote.http.HttpJsonSettings;
import dev.modelgate.inference.remote.http.OutputMapping;
import dev.modelgate.inference.remote.kserve.KServeV2Protocol;
import dev.modelgate.inference.remote.kserve.KServeV2Settings;
import dev.modelgate.inference.remote.tfserving.TfServingProtocol;
import dev.modelgate.inference.remote.tfserving.TfServingSettings;
import dev.modelgate.inference.remote.torchserve.TorchServeProtocol;
import dev.modelgate.inference.remote.torchserve.TorchServeSettings;
import dev.modelgate.inference.xgboost.XgboostBackend;
import dev.modelgate.inference.xgboost.XgboostOutput;
import dev.modelgate.inference.xgboost.XgboostSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** The bare backend a variant's {@code backend:} section describes: a DJL engine, or a remote server. */
final class EngineBackends {

    /** A remote server that is down or not ready is asked again after 0.2 s, then up to every 2 s. */
    static final ReconnectingBackend.Backoff RECONNECT = new ReconnectingBackend.Backoff(Duration.ofMillis(200), Duration.ofSeconds(2));

    private final Vertx vertx;

    EngineBackends(Vertx vertx) {
        this.vertx = vertx;
    }

    Future<? extends InferenceBackend> open(String model, VariantConfig variant) {
        BackendConfig backend = variant.backend();
        if (backend instanceof OnnxBackendConfig onnx) {
            return OnnxRuntimeBackend.load(vertx, new OnnxRuntimeSettings(model, variant.version(), onnx.path(),
                    onnx.instances(), onnx.intraOpThreads(), DeviceChoice.parse(onnx.device()), true));
        }
        if (backend instanceof XgboostBackendConfig xgboost) {
            return XgboostBackend.load(vertx, new XgboostSettings(djl(model, variant, xgboost.path(), xgboost.instances(), xgboost.device()),
                    XgboostOutput.parse(xgboost.output())));
        }
        if (backend instanceof PyTorchBackendConfig torch) {
            PyTorchSettings settings = PyTorchSettings.of(djl(model, variant, torch.path(), torch.instances(), torch.device()), torch.inputs());
            return PyTorchBackend.load(vertx, torch.outputs().isEmpty() ? settings : settings.withOutputNames(torch.outputs()));
        }
        RemoteBackendConfig remote = (RemoteBackendConfig) backend;
        RemoteEndpoint endpoint = new RemoteEndpoint(remote.url(), remote.maxConnections(), remote.connectTimeout(), remote.requestTimeout(),
                new RemoteTls(remote.tls().caFile(), remote.tls().certFile(), remote.tls().keyFile()));
        ModelMetadata unknown = new ModelMetadata(remote.remoteModel(), variant.version(), remote.type(), List.of(), List.of());
        String name = model + "/" + variant.name();
        if (remote.type().equals("kserve_grpc")) {
            return ReconnectingBackend.open(vertx, name, unknown, RECONNECT, () -> GrpcRemoteBackend.connect(vertx, endpoint,
                    remote.remoteModel(), remote.remoteVersion(), variant.version()));
        }
        RemoteProtocol protocol = protocol(remote);
        return ReconnectingBackend.open(vertx, name, unknown, RECONNECT, () -> RemoteBackend.connect(vertx, endpoint, protocol));
    }

    private static DjlModelSettings djl(String model, VariantConfig variant, java.nio.file.Path path, int instances, String device) {
        return new DjlModelSettings(model, variant.version(), path, instances, DeviceChoice.parse(device), true);
    }

    private static RemoteProtocol protocol(RemoteBackendConfig remote) {
        String model = remote.remoteModel();
        String version = remote.remoteVersion();
        return switch (remote.type()) {
            case "kserve" -> new KServeV2Protocol(new KServeV2Settings(model, version));
            case "tfserving" -> new TfServingProtocol(new TfServingSettings(model, version,
                    TfServingSettings.Format.valueOf(remote.format().toUpperCase(Locale.ROOT)), remote.signature(), remote.inputs(),
                    remote.outputs().stream().map(RemoteBackendConfig.Output::spec).toList()));
            case "torchserve" -> new TorchServeProtocol(new TorchServeSettings(model, version,
                    TorchServeSettings.Body.valueOf(remote.format().toUpperCase(Locale.ROOT)), remote.inputs().get(0),
                    remote.outputs().get(0).spec()));
            default -> new HttpJsonProtocol(new HttpJsonSettings(model, version, HttpMethod.valueOf(remote.method().toUpperCase(Locale.ROOT)),
                    remote.path(), remote.template(), remote.inputs(),
                    remote.outputs().stream().map(o -> new OutputMapping(o.spec(), o.jsonPointer())).toList(), ""));
        };
    }
}
