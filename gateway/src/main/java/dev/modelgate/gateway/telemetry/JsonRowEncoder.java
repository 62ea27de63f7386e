package dev.modelgate.gateway.telemetry;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.modelgate.gateway.telemetry.batch.RowEncoder;
import dev.modelgate.gateway.telemetry.clickhouse.InsertFormat;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A {@link RowEncoder} writing JSONEachRow: subclasses write one JSON object per event with Jackson's
 * streaming generator (field helpers in {@link JsonRows}); this class owns the generator, the row
 * separator and the flush that makes every row boundary visible to the writer. For low-volume tables;
 * the predictions table uses RowBinary.
 */
public abstract class JsonRowEncoder<T> implements RowEncoder<T> {

    private final JsonFactory factory = new JsonFactory();
    private OutputStream target;
    private JsonGenerator json;

    @Override
    public final InsertFormat format() {
        return InsertFormat.JSON_EACH_ROW;
    }

    @Override
    public final void encode(T event, OutputStream out) throws IOException {
        if (out != target) {
            json = factory.createGenerator(out);
            json.setRootValueSeparator(null); // rows are separated by the explicit newline
            target = out;
        }
        try {
            write(event, json);
            json.writeRaw('\n');
            json.flush();
        } catch (IOException | RuntimeException e) {
            target = null; // the generator may hold part of the failed row: the next row gets a new one
            throw e;
        }
    }

    /** Writes exactly one JSON object, without separator. */
    protected abstract void write(T event, JsonGenerator json) throws IOException;
}
