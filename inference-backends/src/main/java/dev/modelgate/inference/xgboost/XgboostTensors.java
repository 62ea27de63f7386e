package dev.modelgate.inference.xgboost;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.modelgate.inference.Tensor;
import dev.modelgate.inference.TensorSpec;
import dev.modelgate.inference.djl.TensorCodec;

/**
 * XGBoost takes one dense FP32 matrix (NaN = missing) and returns its predictions flattened: the
 * rows are restored here from the output width the model declared.
 */
final class XgboostTensors implements TensorCodec {

    @Override
    public NDArray toNDArray(NDManager manager, Tensor tensor) {
        return manager.create((float[]) tensor.data(), new Shape(tensor.shape()));
    }

    @Override
    public Tensor toTensor(TensorSpec spec, NDArray array) {
        float[] values = array.toFloatArray();
        long width = spec.shape()[1];
        return Tensor.ofFloats(spec.name(), new long[] {values.length / width, width}, values);
    }
}
