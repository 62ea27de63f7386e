package dev.modelgate.gateway.admin;

import dev.modelgate.gateway.keys.Role;
import io.vertx.core.http.HttpMethod;
import java.util.List;

/**
 * The least role each admin route needs, in one table: a route added without a line here needs
 * {@code admin} (closed by default), and a test checks every route the gateway mounts and every one
 * {@code openapi.json} documents has its line.
 */
public final class AdminPermissions {

    /** {@code path} in the router's syntax: {@code :name} is one path segment. */
    public record Rule(HttpMethod method, String path, Role role) {

        boolean matches(HttpMethod method, String[] segments) {
            if (!this.method.equals(method)) {
                return false;
            }
            String[] pattern = path.substring(1).split("/");
            if (pattern.length != segments.length) {
                return false;
            }
            for (int i = 0; i < pattern.length; i++) {
                if (!pattern[i].startsWith(":") && !pattern[i].equals(segments[i]) || segments[i].isEmpty()) {
                    return false;
                }
            }
            return true;
        }
    }

    public static final List<Rule> RULES = List.of(
            // viewer: reads (results, drift, quality, job status)
            new Rule(HttpMethod.GET, "/admin/experiments", Role.VIEWER),
            new Rule(HttpMethod.GET, "/admin/experiments/:name", Role.VIEWER),
            new Rule(HttpMethod.GET, "/admin/experiments/:name/results", Role.VIEWER),
            new Rule(HttpMethod.GET, "/admin/experiments/:name/results/history", Role.VIEWER),
            new Rule(HttpMethod.GET, "/admin/experiments/:name/decisions", Role.VIEWER),
            new Rule(HttpMethod.GET, "/admin/models/:model/drift", Role.VIEWER),
            new Rule(HttpMethod.GET, "/admin/models/:model/drift/histograms", Role.VIEWER),
            new Rule(HttpMethod.GET, "/admin/backends", Role.VIEWER),
            new Rule(HttpMethod.GET, "/admin/models/:model/quality", Role.VIEWER),
            new Rule(HttpMethod.GET, "/admin/jobs/:id", Role.VIEWER),
            // experimenter: experiments
            new Rule(HttpMethod.PUT, "/admin/experiments/:name", Role.EXPERIMENTER),
            new Rule(HttpMethod.DELETE, "/admin/experiments/:name", Role.EXPERIMENTER),
            new Rule(HttpMethod.POST, "/admin/experiments/:name/:action", Role.EXPERIMENTER),
            // operator: backends, references and baselines, drift and quality runs
            new Rule(HttpMethod.POST, "/admin/models/:model/variants/:variant/reload", Role.OPERATOR),
            new Rule(HttpMethod.PUT, "/admin/models/:model/reference", Role.OPERATOR),
            new Rule(HttpMethod.POST, "/admin/models/:model/reference/from-traffic", Role.OPERATOR),
            new Rule(HttpMethod.POST, "/admin/models/:model/drift/run", Role.OPERATOR),
            new Rule(HttpMethod.PUT, "/admin/models/:model/quality/baseline", Role.OPERATOR),
            new Rule(HttpMethod.POST, "/admin/models/:model/quality/run", Role.OPERATOR),
            // operator: batch jobs, which spend the engines' capacity
            new Rule(HttpMethod.POST, "/admin/jobs", Role.OPERATOR),
            new Rule(HttpMethod.DELETE, "/admin/jobs/:id", Role.OPERATOR),
            new Rule(HttpMethod.POST, "/admin/jobs/:id/cancel", Role.OPERATOR),
            // admin: credentials
            new Rule(HttpMethod.GET, "/admin/keys", Role.ADMIN),
            new Rule(HttpMethod.POST, "/admin/keys", Role.ADMIN),
            new Rule(HttpMethod.GET, "/admin/keys/:name", Role.ADMIN),
            new Rule(HttpMethod.DELETE, "/admin/keys/:name", Role.ADMIN));

    private AdminPermissions() {}

    /** The role a call needs; {@code admin} for a route without a rule. */
    public static Role required(HttpMethod method, String path) {
        String[] segments = (path.endsWith("/") ? path.substring(1, path.length() - 1) : path.substring(1)).split("/", -1);
        for (Rule rule : RULES) {
            if (rule.matches(method, segments)) {
                return rule.role();
            }
        }
        return Role.ADMIN;
    }
}
