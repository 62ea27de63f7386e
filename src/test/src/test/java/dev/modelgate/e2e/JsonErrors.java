package dev.modelgate.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The API's error contract as the fuzz tests check it: a JSON body with a non-blank {@code error}. */
final class JsonErrors {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonErrors() {}

    static boolean isJsonError(String contentType, String body) {
        if (contentType == null || !contentType.startsWith("application/json")) {
            return false;
        }
        try {
            JsonNode error = MAPPER.readTree(body).get("error");
            return error != null && error.isTextual() && !error.asText().isBlank();
        } catch (Exception notJson) {
            return false;
        }
    }

    /** The start of a body, for a failure message. */
    static String abbreviate(String text) {
        return text == null || text.length() <= 120 ? String.valueOf(text) : text.substring(0, 120) + "…";
    }
}
