package dev.modelgate.e2e.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/** What the kubelet gives a container besides its files, reproduced for a gateway started on this machine. */
public final class PodEnvironment {

    private PodEnvironment() {}

    /** The container's environment as the kubelet sets it: plain values, and {@code podName} for a fieldRef to the pod's name. */
    public static Map<String, String> of(Container container, String podName) {
        Map<String, String> env = new HashMap<>();
        for (EnvVar variable : container.getEnv()) {
            if (variable.getValue() != null) {
                env.put(variable.getName(), variable.getValue());
            } else if (variable.getValueFrom().getFieldRef() != null
                    && variable.getValueFrom().getFieldRef().getFieldPath().equals("metadata.name")) {
                env.put(variable.getName(), podName);
            } else {
                throw new AssertionError("env " + variable.getName() + ": only values and the pod name are expected");
            }
        }
        return env;
    }

    /**
     * The Secret's keys with this machine's credentials, for {@link PodFileSystem#create}: {@code adminToken} as the
     * admin token, empty passwords (ClickHouse's and Redis's default users here have none).
     */
    public static UnaryOperator<Map<String, String>> secretsForThisMachine(String adminToken) {
        return values -> {
            Map<String, String> local = new HashMap<>();
            values.keySet().forEach(key -> local.put(key, ""));
            local.put("admin-token", adminToken);
            return local;
        };
    }
}
