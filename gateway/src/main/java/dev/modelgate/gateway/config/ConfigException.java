package dev.modelgate.gateway.config;

/** A configuration problem, with a message that names the offending key (e.g. {@code server.port}). */
public class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The path of {@code key} (dotted) under a variant, as validation errors name it. */
    public static String variantKey(String model, String variant, String key) {
        return "models." + model + ".variants." + variant + "." + key;
    }
}
