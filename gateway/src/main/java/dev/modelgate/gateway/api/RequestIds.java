package dev.modelgate.gateway.api;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Random (version 4) UUIDs for request and event ids. {@link UUID#randomUUID()} draws from a shared
 * SecureRandom, which contends across event loops; ids only need to be unique, not unpredictable.
 */
public final class RequestIds {

    private RequestIds() {}

    public static String next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long most = (random.nextLong() & ~0xF000L) | 0x4000L;
        long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(most, least).toString();
    }
}
