package dev.modelgate.gateway.batch.sink;

import dev.modelgate.gateway.batch.RowBlock;
import dev.modelgate.gateway.batch.ScoredChunk;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Results as CSV files in a folder of the job ({@code <folder>/<job id>/}), one {@code part-<chunk>.csv} per chunk, each written to a temporary
 * file and renamed into place once complete, so a part is either whole or absent whatever kills the
 * process; the parts present are the chunks written. Read them all with e.g. DuckDB's
 * {@code read_csv('folder/part-*.csv')}. Columns: row_number, row_key, unit_id, variant, model_version,
 * status, error, score, outputs (a JSON object of output name → value).
 */
public final class FolderSink implements ResultSink {

    private static final Pattern PART = Pattern.compile("part-(\\d+)\\.csv");
    private static final String HEADER = "row_number,row_key,unit_id,variant,model_version,status,error,score,outputs\n";
    private static final String OK_FIELDS = "ok,,";
    private static final String ERROR_FIELD = "error,";

    private final Path folder;
    /** Per list of output names, the JSON keys ({@code {"name":}, {@code ,"other":}}), escaped once. */
    private final Map<List<String>, byte[][]> keys = new HashMap<>();

    public FolderSink(Path folder) throws SinkException {
        this.folder = folder;
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new SinkException("cannot create " + folder + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String name() {
        return "folder:" + folder;
    }

    @Override
    public Set<Long> writtenChunks() throws SinkException {
        Set<Long> chunks = new HashSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
            for (Path file : files) {
                Matcher part = PART.matcher(file.getFileName().toString());
                if (part.matches()) {
                    chunks.add(Long.parseLong(part.group(1)));
                } else if (file.getFileName().toString().endsWith(".csv.tmp")) {
                    Files.delete(file); // left by a killed run: that chunk is written again
                }
            }
        } catch (IOException e) {
            throw new SinkException("cannot list " + folder + ": " + e.getMessage(), e);
        }
        return chunks;
    }

    @Override
    public void write(ScoredChunk chunk) throws SinkException {
        String name = String.format(Locale.ROOT, "part-%08d.csv", chunk.index());
        Path temporary = folder.resolve(name + ".tmp");
        try {
            try (OutputStream file = Files.newOutputStream(temporary)) {
                AsciiBuffer out = new AsciiBuffer(file, 1 << 18);
                out.ascii(HEADER);
                RowBlock rows = chunk.rows();
                // per variant: ",variant,model_version,", the same bytes on every row of the variant
                byte[][] variantFields = new byte[chunk.variants().size()][];
                for (int r = 0; r < rows.size(); r++) {
                    String error = chunk.errors()[r];
                    int variant = chunk.variantOf()[r];
                    out.number(rows.firstRow() + r);
                    out.comma();
                    out.text(csv(rows.keys()[r]));
                    out.comma();
                    out.text(csv(rows.units()[r]));
                    if (variantFields[variant] == null) {
                        variantFields[variant] = ("," + csv(chunk.variantName(r)) + "," + csv(chunk.modelVersion(r)) + ",")
                                .getBytes(StandardCharsets.UTF_8);
                    }
                    out.bytes(variantFields[variant]);
                    if (error == null) {
                        double score = chunk.scores()[r];
                        // the score is one of the outputs: formatted once, written twice (the formatting is the cost)
                        String scoreText = number(score);
                        out.ascii(OK_FIELDS);
                        out.ascii(scoreText);
                        out.comma();
                        writeOutputs(out, keys(chunk.outputNames()[variant]), chunk.outputs()[r], score, scoreText);
                    } else {
                        out.ascii(ERROR_FIELD);
                        out.text(csv(error));
                        out.comma();
                        out.comma();
                    }
                    out.newline();
                }
                out.flush();
            }
            Files.move(temporary, folder.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | UncheckedIOException e) {
            throw new SinkException("cannot write " + folder.resolve(name) + ": " + e.getMessage(), e);
        }
    }

    /** The outputs as a JSON object in one CSV field: quoted, its quotes doubled. */
    private static void writeOutputs(AsciiBuffer out, byte[][] keys, double[] values, double score, String scoreText) throws IOException {
        out.ascii(values.length == 0 ? "\"{" : "\"");
        for (int i = 0; i < values.length; i++) {
            out.bytes(keys[i]);
            double value = values[i];
            if (!Double.isFinite(value)) {
                out.ascii("null");
            } else {
                out.ascii(Double.doubleToRawLongBits(value) == Double.doubleToRawLongBits(score) ? scoreText : number(value));
            }
        }
        out.ascii("}\"");
    }

    private byte[][] keys(List<String> names) {
        return keys.computeIfAbsent(names, list -> {
            byte[][] out = new byte[list.size()][];
            for (int i = 0; i < out.length; i++) {
                String name = list.get(i).replace("\\", "\\\\").replace("\"", "\\\"");
                out[i] = ((i == 0 ? "{" : ",") + "\"" + name + "\":").replace("\"", "\"\"").getBytes(StandardCharsets.UTF_8);
            }
            return out;
        });
    }

    /**
     * The shortest text that reads back as the value: most models answer in FP32, and a float widened to
     * double would print 17 digits of noise (0.01658514142036438 for 0.016585141) at twice the cost.
     */
    private static String number(double value) {
        float narrow = (float) value;
        return narrow == value ? Float.toString(narrow) : Double.toString(value);
    }

    private static String csv(String value) {
        if (value == null) {
            return "";
        }
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    @Override
    public void close() {
        // every part is closed as it is written
    }
}
