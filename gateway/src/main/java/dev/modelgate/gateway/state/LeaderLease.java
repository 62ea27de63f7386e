package dev.modelgate.gateway.state;

/**
 * Whether this replica may run the control loops (canary controller, drift monitor) now. Exactly one
 * replica of a fleet holds the lease at a time; another takes over when the holder stops renewing it.
 */
@FunctionalInterface
public interface LeaderLease {

    boolean isLeader();

    /** A single node is always its own leader. */
    LeaderLease ALWAYS = () -> true;
}
