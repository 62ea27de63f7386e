package dev.modelgate.inference.demo;

import java.nio.file.Path;

/**
 * Where the bundled demo model lives. Test runs name the repository's {@code demo/} folder with the
 * system property {@value #PROPERTY} (this module's surefire configuration sets it), because the
 * folder sits beside the modules and each module runs from its own directory.
 */
public final class DemoFiles {

    public static final String PROPERTY = "modelgate.demo.dir";

    private DemoFiles() {
    }

    public static Path directory() {
        String dir = System.getProperty(PROPERTY);
        if (dir == null || dir.isBlank()) {
            throw new IllegalStateException("set -D" + PROPERTY + "=<repository>/demo to locate the demo model");
        }
        return Path.of(dir).toAbsolutePath().normalize();
    }

    public static Path fraudScoreJson() {
        return directory().resolve("fraud-score.json");
    }

    public static Path fraudScoreOnnx() {
        return directory().resolve("fraud-score.onnx");
    }

    /** The demo's challenger variant, generated from {@code fraud-score-v2.json} the same way. */
    public static Path challengerJson() {
        return directory().resolve("fraud-score-v2.json");
    }

    public static Path challengerOnnx() {
        return directory().resolve("fraud-score-v2.onnx");
    }
}
