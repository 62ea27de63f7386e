package dev.modelgate.gateway.admin;

import io.vertx.ext.web.Router;

/**
 * A part of the control plane. Each concept (experiments, drift, backends) mounts its own handlers
 * under {@code /admin/}; authentication and body limits are applied once, before any of them.
 */
@FunctionalInterface
public interface AdminRoutes {

    void mount(Router router);
}
