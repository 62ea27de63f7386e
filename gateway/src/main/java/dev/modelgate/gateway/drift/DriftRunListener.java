package dev.modelgate.gateway.drift;

/** Told about every completed run, on the monitor's thread; must not block (alerts deliver asynchronously). */
@FunctionalInterface
public interface DriftRunListener {

    void onRun(DriftRun run);
}
