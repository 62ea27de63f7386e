package dev.modelgate.gateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The gateway's {@code openapi.json} as a test oracle: {@link #check} fails with the validator's
 * messages when an answer is not what the document promises (a status it does not list, a content type
 * it does not declare, a JSON body that does not validate). Used by the unit tests and by every call of
 * the end-to-end suite, so the document cannot fall behind the gateway unnoticed.
 *
 * <p>Schemas are validated by networknt's JSON Schema 2020-12 validator (OpenAPI 3.1's dialect) against a
 * schema made of the whole document plus a root {@code $ref} to the response's schema: {@code #/components}
 * references then resolve inside the same document without a custom resource loader.
 */
public final class OpenApiContract {

    private static final String JSON = "application/json";
    private static final Pattern TEMPLATE_PARAMETER = Pattern.compile("\\{[^}/]+}");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final OpenApiContract GATEWAY = new OpenApiContract(parse(OpenApiDocument.read()));

    private record Template(String path, Pattern pattern, int parameters) {}

    private final JsonNode document;
    private final List<Template> templates;
    /** JSON Schema 2020-12 that knows the OpenAPI document's own members are not schema keywords (no warnings). */
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            builder -> builder.metaSchema(JsonMetaSchema.builder(JsonMetaSchema.getV202012())
                    .keywords(List.of("openapi", "info", "tags", "servers", "paths", "components", "security").stream()
                            .map(NonValidationKeyword::new).toList())
                    .build()));

    private final Map<String, JsonSchema> schemas = new ConcurrentHashMap<>();

    OpenApiContract(JsonNode document) {
        this.document = document;
        List<Template> all = new ArrayList<>();
        document.path("paths").fieldNames().forEachRemaining(path -> all.add(template(path)));
        // OpenAPI matches concrete paths before templated ones: /experiments/{name}/results before /{action}
        all.sort(Comparator.comparingInt(Template::parameters));
        this.templates = List.copyOf(all);
    }

    /** The document the gateway serves at {@code /openapi.json}. */
    public static OpenApiContract gateway() {
        return GATEWAY;
    }

    /** The document as parsed; callers must not change it. */
    public JsonNode document() {
        return document;
    }

    /** Every documented operation as {@code "GET /v2/models/{model}"}. */
    Set<String> operations() {
        Set<String> operations = new java.util.TreeSet<>();
        document.path("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method -> {
            if (!method.equals("parameters")) {
                operations.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
            }
        }));
        return operations;
    }

    /**
     * Fails unless the document describes this answer. A path no template matches must have been refused
     * by the router (404, or 405 for another method; 401/403 under {@code /admin/}, whose guard runs first),
     * with the common error body.
     *
     * @param path the request's raw path, without the query
     * @param contentType the response's Content-Type header, or null
     */
    public void check(String method, String path, int status, String contentType, String body) {
        String where = method + " " + path + " → " + status;
        Optional<Template> byPath = templates.stream().filter(t -> t.pattern().matcher(path).matches()).findFirst();
        Optional<Template> byMethod = templates.stream().filter(t -> t.pattern().matcher(path).matches())
                .filter(t -> document.path("paths").path(t.path()).has(method.toLowerCase(Locale.ROOT))).findFirst();
        if (byMethod.isEmpty()) {
            boolean refused = status == 404 && byPath.isEmpty() || status == 405 && byPath.isPresent()
                    || path.startsWith("/admin/") && (status == 401 || status == 403);
            if (!refused) {
                throw new AssertionError(where + ": openapi.json documents no " + method + " " + path);
            }
            validate(where, "/components/schemas/Error", contentType, body);
            return;
        }
        String operation = "/paths/" + escape(byMethod.get().path()) + "/" + method.toLowerCase(Locale.ROOT);
        JsonNode response = document.at(operation + "/responses/" + status);
        if (response.isMissingNode()) {
            throw new AssertionError(where + ": openapi.json lists no status " + status + " for "
                    + method + " " + byMethod.get().path() + " (body: " + body + ")");
        }
        String responsePointer = resolve(operation + "/responses/" + status);
        checkContent(where, responsePointer, document.at(responsePointer).path("content"), contentType, body);
    }

    /** The pointer of a response object, through its {@code $ref} to {@code #/components/responses} if it has one. */
    private String resolve(String responsePointer) {
        JsonNode response = document.at(responsePointer);
        return response.has("$ref") ? response.get("$ref").asText().substring(1) : responsePointer;
    }

    /** The pointer of every JSON schema of every documented response. */
    List<String> responseSchemas() {
        List<String> pointers = new ArrayList<>();
        for (String operation : operations()) {
            String[] methodAndPath = operation.split(" ", 2);
            String pointer = "/paths/" + escape(methodAndPath[1]) + "/" + methodAndPath[0].toLowerCase(Locale.ROOT) + "/responses";
            document.at(pointer).fieldNames().forEachRemaining(status -> {
                String response = resolve(pointer + "/" + status);
                document.at(response).path("content").fieldNames().forEachRemaining(media ->
                        pointers.add(response + "/content/" + escape(media) + "/schema"));
            });
        }
        return pointers;
    }

    private void checkContent(String where, String responsePointer, JsonNode content, String contentType, String body) {
        if (content.isMissingNode() || content.isEmpty()) {
            if (body != null && !body.isEmpty()) {
                throw new AssertionError(where + ": openapi.json documents no body, got " + body);
            }
            return;
        }
        String mediaType = mediaType(contentType);
        if (!content.has(mediaType)) {
            throw new AssertionError(where + ": Content-Type " + contentType + " is not among " + names(content));
        }
        if (mediaType.equals(JSON)) {
            validate(where, responsePointer + "/content/" + escape(JSON) + "/schema", contentType, body);
        }
    }

    private void validate(String where, String schemaPointer, String contentType, String body) {
        if (!JSON.equals(mediaType(contentType))) {
            throw new AssertionError(where + ": expected " + JSON + ", got Content-Type " + contentType + " (body: " + body + ")");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new AssertionError(where + ": the body is not JSON: " + body, e);
        }
        Set<ValidationMessage> errors = schema(schemaPointer).validate(node);
        if (!errors.isEmpty()) {
            throw new AssertionError(where + ": the body does not validate against openapi.json#" + schemaPointer + ": "
                    + errors.stream().map(ValidationMessage::getMessage).collect(Collectors.joining("; ")) + "\nbody: " + body);
        }
    }

    /** Compiled once per schema; also the check that every reference in the document resolves. */
    JsonSchema schema(String pointer) {
        return schemas.computeIfAbsent(pointer, p -> {
            ObjectNode root = document.deepCopy();
            root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
            root.put("$ref", "#" + p);
            JsonSchema schema = FACTORY.getSchema(root);
            schema.initializeValidators();
            return schema;
        });
    }

    private static Template template(String path) {
        StringBuilder regex = new StringBuilder();
        var matcher = TEMPLATE_PARAMETER.matcher(path);
        int last = 0;
        int parameters = 0;
        while (matcher.find()) {
            regex.append(Pattern.quote(path.substring(last, matcher.start()))).append("[^/]+");
            last = matcher.end();
            parameters++;
        }
        regex.append(Pattern.quote(path.substring(last)));
        return new Template(path, Pattern.compile(regex.toString()), parameters);
    }

    /** JSON Pointer escaping (RFC 6901): {@code ~} then {@code /}. */
    static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    private static String mediaType(String contentType) {
        return contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static JsonNode parse(byte[] json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
