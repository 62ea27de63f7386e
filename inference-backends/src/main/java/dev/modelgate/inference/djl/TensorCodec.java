package dev.modelgate.inference.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.modelgate.inference.Tensor;
import dev.modelgate.inference.TensorSpec;

/** How one DJL engine's arrays hold protocol tensors: the only data-moving code that differs between engines. */
public interface TensorCodec {

    /** A named array in {@code manager} holding {@code tensor}'s values, which the validator already checked. */
    NDArray toNDArray(NDManager manager, Tensor tensor);

    /** Reads the engine's output array back as the protocol tensor {@code spec} declares. */
    Tensor toTensor(TensorSpec spec, NDArray array);
}
