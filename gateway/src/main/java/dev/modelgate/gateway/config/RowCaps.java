package dev.modelgate.gateway.config;

/**
 * How much of one request a prediction row may hold, so that no caller can make a row much larger
 * than the request is worth. Byte caps are in UTF-8 bytes.
 *
 * @param nameBytes        input, output and generated feature names, the unit id and other caller-set strings
 * @param errorBytes       the error message
 * @param requestJsonBytes the raw request body
 * @param loggedValues     input (and, separately, output) values
 * @param rowBytes         the whole row after the caps above; past it values are dropped, then the body cut
 */
public record RowCaps(int nameBytes, int errorBytes, int requestJsonBytes, int loggedValues, int rowBytes) {}
