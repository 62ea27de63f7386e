package dev.modelgate.inference.xgboost;

import ai.djl.ml.xgboost.XgbSymbolBlock;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * The two calls on a loaded booster that DJL does not expose: its feature count and a parameter
 * setter. They go to the JNI class DJL bundles ({@code ml.dmlc.xgboost4j.java.XGBoostJNI}, XGBoost's
 * own C API), which is package-private, hence reflection; the alternative, xgboost4j's public
 * {@code Booster}, would load a second copy of the native library and drag in Kryo.
 */
final class XgboostBooster {

    private static final String JNI_CLASS = "ml.dmlc.xgboost4j.java.XGBoostJNI";

    private final long handle;

    XgboostBooster(XgbSymbolBlock block) {
        this.handle = block.getHandle();
    }

    /** {@code num_feature} as the booster learnt it. */
    long featureCount() {
        long[] count = new long[1];
        call("XGBoosterGetNumFeature", new Class<?>[] {long.class, long[].class}, handle, count);
        return count[0];
    }

    void setParam(String name, String value) {
        call("XGBoosterSetParam", new Class<?>[] {long.class, String.class, String.class}, handle, name, value);
    }

    private static void call(String function, Class<?>[] types, Object... args) {
        int status;
        try {
            Method method = Class.forName(JNI_CLASS).getDeclaredMethod(function, types);
            method.setAccessible(true);
            status = (Integer) method.invoke(null, args);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("XGBoost " + function + " failed: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this XGBoost build has no " + function
                    + "; the DJL XGBoost jar is not the expected 0.35.0 / xgboost 3.0.x", e);
        }
        if (status != 0) {
            throw new IllegalStateException("XGBoost " + function + " returned status " + status + ": " + lastError());
        }
    }

    private static String lastError() {
        try {
            Method method = Class.forName(JNI_CLASS).getDeclaredMethod("XGBGetLastError");
            method.setAccessible(true);
            return String.valueOf(method.invoke(null));
        } catch (ReflectiveOperationException e) {
            return "(no error message)";
        }
    }
}
