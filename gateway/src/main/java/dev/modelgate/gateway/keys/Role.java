package dev.modelgate.gateway.keys;

import java.util.Locale;
import java.util.Optional;

/**
 * What a credential may do on the admin API. Each role includes the ones before it: an operator may
 * also do what an experimenter and a viewer may.
 */
public enum Role {
    /** reads: experiments, results, drift, backends */
    VIEWER,
    /** changes experiments (create, edit, pause, promote, roll back) */
    EXPERIMENTER,
    /** operates the fleet: backend reloads, drift references and runs */
    OPERATOR,
    /** manages credentials: API keys and their roles */
    ADMIN;

    public boolean includes(Role required) {
        return ordinal() >= required.ordinal();
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> parse(String text) {
        for (Role role : values()) {
            if (role.wireName().equals(text)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
