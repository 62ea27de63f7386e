package dev.modelgate.inference.remote.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.modelgate.inference.DataType;
import dev.modelgate.inference.Tensor;

import java.io.IOException;
import java.util.Arrays;

/**
 * Reads a tensor written as nested JSON lists and infers its shape from the nesting: {@code [[1,2],[3,4]]}
 * is a {@code [2, 2]} tensor, a bare number a scalar ({@code []}). Lists must be rectangular; a ragged
 * one is refused rather than padded or flattened.
 *
 * <p>Values can arrive whole ({@link #readValue}) or one row at a time ({@link #readRow}, for formats
 * such as TensorFlow Serving's {@code instances} that interleave several tensors row by row); rows add
 * a leading batch dimension. Use one reader per tensor.
 */
public final class NestedTensorReader {

    private static final int MAX_RANK = 32;

    private final DataType type;
    private final ElementBuffer elements;
    private final long[] dims = new long[MAX_RANK + 1];
    private int deepestList = -1;
    private int scalarDepth = -1;
    private int rows;
    private boolean rowMode;

    public NestedTensorReader(DataType type) {
        this(type, 16);
    }

    /** @param expectedElements a capacity hint (e.g. a declared shape's element count) */
    public NestedTensorReader(DataType type, int expectedElements) {
        this.type = type;
        this.elements = new ElementBuffer(type, expectedElements);
        Arrays.fill(dims, -1);
    }

    /** Reads the whole tensor from the value the parser stands on; leaves the parser on its last token. */
    public NestedTensorReader readValue(JsonParser json) throws IOException {
        read(json, 0);
        return this;
    }

    /** Reads one row (the value the parser stands on) of a tensor whose first dimension counts rows. */
    public NestedTensorReader readRow(JsonParser json) throws IOException {
        rowMode = true;
        rows++;
        read(json, 1);
        return this;
    }

    /** Makes the first dimension count rows even if none arrive, so that no rows read as a {@code [0]} tensor. */
    public NestedTensorReader asRows() {
        rowMode = true;
        return this;
    }

    /** The tensor read, with the shape its nesting gave it. */
    public Tensor toTensor(String name) {
        if (rowMode) {
            dims[0] = rows;
        }
        int rank = Math.max(scalarDepth >= 0 ? scalarDepth : deepestList + 1, rowMode ? 1 : 0);
        long[] shape = new long[rank];
        for (int d = 0; d < shape.length; d++) {
            // a list that was always empty leaves the dimensions below it unseen: they hold nothing
            shape[d] = Math.max(dims[d], 0);
        }
        return new Tensor(name, type, shape, elements.toArray());
    }

    /** The tensor read, given a declared shape that must hold exactly the elements read (flat or nested). */
    public Tensor toTensor(String name, long[] declaredShape) {
        long expected = Tensor.elementCount(declaredShape);
        if (expected != elements.count()) {
            throw new JsonTensorException("'" + name + "': shape " + Arrays.toString(declaredShape) + " holds "
                    + expected + " elements but " + elements.count() + " were sent");
        }
        return new Tensor(name, type, declaredShape, elements.toArray());
    }

    private void read(JsonParser json, int depth) throws IOException {
        if (depth > MAX_RANK) {
            throw new JsonTensorException("lists nested deeper than " + MAX_RANK);
        }
        JsonToken token = json.currentToken();
        if (token == JsonToken.START_ARRAY) {
            long length = 0;
            while (json.nextToken() != JsonToken.END_ARRAY) {
                read(json, depth + 1);
                length++;
            }
            recordList(depth, length);
        } else if (token != null && token.isScalarValue()) {
            if (scalarDepth < 0) {
                scalarDepth = depth;
            } else if (scalarDepth != depth) {
                throw ragged();
            }
            elements.append(json);
        } else {
            throw new JsonTensorException("expected a list or a " + type + " value, got " + (token == null ? "end of input" : token.asString()));
        }
    }

    private void recordList(int depth, long length) {
        if ((scalarDepth >= 0 && depth >= scalarDepth) || (dims[depth] >= 0 && dims[depth] != length)) {
            throw ragged();
        }
        dims[depth] = length;
        deepestList = Math.max(deepestList, depth);
    }

    private static JsonTensorException ragged() {
        return new JsonTensorException("lists are ragged: every list at one depth must have the same length");
    }
}
