package dev.modelgate.gateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills in secret keys — any key whose name contains {@code token}, {@code secret}, {@code salt} or
 * {@code password} — from outside the file, so that a configuration can be checked in or kept in a
 * ConfigMap while its secrets stay in a Secret:
 * <ul>
 *   <li>{@code admin_token_file: /run/secrets/admin-token} reads the file (a mounted Kubernetes secret); one
 *       trailing line break is removed, as {@code echo} and editors add one;</li>
 *   <li>{@code admin_token_env: ADMIN_TOKEN} reads the environment variable;</li>
 *   <li>{@code admin_token: "${ADMIN_TOKEN}"} interpolates environment variables into the value.</li>
 * </ul>
 * Only secret keys are interpolated: other values may hold {@code ${...}} of their own (the request
 * template of an {@code http} backend). No message written here contains a secret's value.
 */
final class SecretValues {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
    private static final Pattern TRAILING_LINE_BREAK = Pattern.compile("\\r?\\n\\z");
    private static final List<String> SECRET_WORDS = List.of("token", "secret", "salt", "password");
    private static final String FILE_SUFFIX = "_file";
    private static final String ENV_SUFFIX = "_env";

    private final Map<String, String> environment;
    private final Path baseDir;

    SecretValues(Map<String, String> environment, Path baseDir) {
        this.environment = environment;
        this.baseDir = baseDir;
    }

    /** Whether a key holds a secret (and so may be given as {@code KEY_file} or {@code KEY_env}). */
    static boolean isSecretKey(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        return SECRET_WORDS.stream().anyMatch(lower::contains);
    }

    /** Resolves every secret key of the tree in place. */
    void resolve(JsonNode tree, String path) {
        if (tree.isArray()) {
            for (int i = 0; i < tree.size(); i++) {
                resolve(tree.get(i), path + "[" + i + "]");
            }
            return;
        }
        if (!(tree instanceof ObjectNode object)) {
            return;
        }
        List<String> keys = new ArrayList<>();
        object.fieldNames().forEachRemaining(keys::add);
        for (String key : keys) {
            String child = path.isEmpty() ? key : path + "." + key;
            JsonNode value = object.get(key);
            if (value.isContainerNode()) {
                resolve(value, child);
            } else if (indirect(key) != null && value.isTextual()) {
                String target = indirect(key);
                if (object.has(target) || keys.contains(target + (key.endsWith(FILE_SUFFIX) ? ENV_SUFFIX : FILE_SUFFIX))) {
                    throw ConfigNode.error(child, "give " + target + " one way only: " + target + ", " + target + FILE_SUFFIX
                            + " or " + target + ENV_SUFFIX);
                }
                object.remove(key);
                object.put(target, key.endsWith(FILE_SUFFIX) ? file(value.asText(), child) : variable(value.asText(), child));
            } else if (isSecretKey(key) && value.isTextual()) {
                object.put(key, interpolate(value.asText(), child));
            }
        }
    }

    /** The secret key that {@code key} gives indirectly ({@code admin_token} for {@code admin_token_file}), or null. */
    private static String indirect(String key) {
        for (String suffix : List.of(FILE_SUFFIX, ENV_SUFFIX)) {
            if (key.endsWith(suffix) && isSecretKey(key.substring(0, key.length() - suffix.length()))) {
                return key.substring(0, key.length() - suffix.length());
            }
        }
        return null;
    }

    private String interpolate(String value, String path) {
        Matcher matcher = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(out, Matcher.quoteReplacement(variable(matcher.group(1), path)));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private String variable(String name, String path) {
        String value = environment.get(name);
        if (value == null) {
            throw ConfigNode.error(path, "environment variable " + name + " is not set");
        }
        return value;
    }

    private String file(String name, String path) {
        Path file = baseDir.resolve(name).normalize();
        try {
            return TRAILING_LINE_BREAK.matcher(Files.readString(file)).replaceFirst("");
        } catch (NoSuchFileException e) {
            throw ConfigNode.error(path, "cannot read " + file + ": no such file");
        } catch (IOException e) {
            // the exception's message names the file and the problem, never the content
            throw ConfigNode.error(path, "cannot read " + file + ": " + e.getClass().getSimpleName());
        }
    }
}
