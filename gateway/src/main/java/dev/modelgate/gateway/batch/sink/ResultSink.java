package dev.modelgate.gateway.batch.sink;

import dev.modelgate.gateway.batch.ScoredChunk;
import java.util.Set;

/**
 * Where a job's results go, chunk by chunk. A chunk is written whole or not at all, and the sink
 * itself is the checkpoint: {@link #writtenChunks()} tells a resumed job exactly which chunks it
 * must not write again.
 */
public interface ResultSink extends AutoCloseable {

    /** How the sink is named in messages, e.g. {@code clickhouse:modelgate.batch_predictions}. */
    String name();

    /**
     * The chunks of this job already written. Once this returns, no write of an earlier run of the job
     * can still land (the ClickHouse sink fences them first).
     */
    Set<Long> writtenChunks() throws SinkException;

    void write(ScoredChunk chunk) throws SinkException;

    @Override
    void close();
}
