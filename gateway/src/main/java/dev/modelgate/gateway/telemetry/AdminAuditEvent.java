package dev.modelgate.gateway.telemetry;

/**
 * One call to the admin API, as {@code admin_audit} stores it.
 *
 * @param keyName the caller's API key name, {@code admin_token} for the configured token, empty when
 *                the caller could not be identified
 * @param role    the caller's role; empty when unidentified
 * @param auditId unique per row (lets the writer tell whether a row landed)
 */
public record AdminAuditEvent(String auditId, long timeMillis, String keyName, String role, String method, String path, int status,
                              String instanceId) {}
