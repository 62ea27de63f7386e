package dev.modelgate.inference.xgboost;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ml.xgboost.XgbSymbolBlock;
import ai.djl.ndarray.NDList;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import dev.modelgate.inference.DataType;
import dev.modelgate.inference.ModelMetadata;
import dev.modelgate.inference.TensorSpec;
import dev.modelgate.inference.djl.DjlBackend;
import dev.modelgate.inference.djl.DjlModelSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;

import java.util.List;

/**
 * Serves an XGBoost model in-process through DJL's XGBoost engine, following Triton's FIL backend
 * conventions: one input {@code input__0} FP32 {@code [-1, num_feature]} (NaN marks a missing value),
 * one output {@code output__0} FP32 {@code [-1, k]}, where k is 1 for binary and regression objectives
 * and the class count for {@code multi:softprob}. The file does not declare k; one probe row at load
 * time measures it.
 */
public final class XgboostBackend extends DjlBackend {

    static final String PLATFORM = "xgboost";
    static final String INPUT = "input__0";
    static final String OUTPUT = "output__0";
    private static final String ENGINE = "XGBoost";

    private XgboostBackend(DjlModelSettings settings, ModelMetadata metadata, ZooModel<NDList, NDList> model,
                           WorkerExecutor workers) {
        super(settings, metadata, model, new XgboostTensors(), workers);
    }

    /** Loads, inspects and (if configured) warms up the model on the backend's own worker threads. */
    public static Future<XgboostBackend> load(Vertx vertx, XgboostSettings settings) {
        return load(vertx, "xgboost", settings.model(), workers -> open(settings, workers));
    }

    private static XgboostBackend open(XgboostSettings settings, WorkerExecutor workers) throws Exception {
        DjlModelSettings common = settings.model();
        Device device = common.device().resolve(Engine.getEngine(ENGINE)::getGpuCount);
        // the full file name as model name: XGBoost tells JSON from UBJSON by the extension
        Criteria<NDList, NDList> criteria = criteria(ENGINE, common.modelPath(), common.modelPath().getFileName().toString())
                .optOptions(settings.output().djlOptions())
                .build();
        ZooModel<NDList, NDList> model = criteria.loadModel();
        try {
            XgboostBooster booster = new XgboostBooster((XgbSymbolBlock) model.getBlock());
            // one thread per prediction: parallelism comes from instances and batching (DESIGN.md §5)
            booster.setParam("nthread", "1");
            if (device.isGpu()) {
                booster.setParam("device", "cuda:" + device.getDeviceId());
            }
            TensorSpec input = new TensorSpec(INPUT, DataType.FP32, new long[] {-1, booster.featureCount()});
            long width = probe(model, new XgboostTensors(), List.of(input), outputs -> outputs.singletonOrThrow().size());
            ModelMetadata metadata = new ModelMetadata(common.modelName(), common.version(), PLATFORM, List.of(input),
                    List.of(new TensorSpec(OUTPUT, DataType.FP32, new long[] {-1, width})));
            return new XgboostBackend(common, metadata, model, workers);
        } catch (Exception | Error e) {
            model.close();
            throw e;
        }
    }
}
