package dev.modelgate.drift.stats;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** Reads the numpy-generated samples in src/test/resources/samples (see the file header for the generator). */
public final class ReferenceSamples {

    private ReferenceSamples() {
    }

    /** Two rows: x (400 draws of N(0, 1)) and y (700 draws of N(0.15, 1)). */
    public static double[][] normalVersusShifted() {
        try (InputStream in = ReferenceSamples.class.getResourceAsStream("/samples/normal_400_vs_shifted_700.txt");
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            List<String> rows = reader.lines().filter(l -> !l.startsWith("#")).collect(Collectors.toList());
            return rows.stream()
                    .map(row -> Arrays.stream(row.split(",")).mapToDouble(Double::parseDouble).toArray())
                    .toArray(double[][]::new);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
