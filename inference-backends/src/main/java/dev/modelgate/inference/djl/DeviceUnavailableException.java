package dev.modelgate.inference.djl;

/**
 * A device was asked for explicitly ({@code gpu}, {@code gpu:N}) and the engine does not have it: a
 * configuration that cannot run on this host, which the gateway reports against the {@code device} key.
 */
public final class DeviceUnavailableException extends IllegalStateException {

    public DeviceUnavailableException(String message) {
        super(message);
    }
}
