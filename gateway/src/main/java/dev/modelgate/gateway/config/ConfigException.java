package dev.modelgate.gateway.config;

/** A configuration problem, with a message that names the offending key (e.g. {@code server.port}). */
public class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
