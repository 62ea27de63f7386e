package dev.modelgate.gateway.telemetry.clickhouse;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.ServerException;
import com.clickhouse.client.api.query.QueryResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only class that talks to ClickHouse, through the official client-v2, restricted to the calls
 * measured to work on ClickHouse 18.16 as well as on current servers (DESIGN.md §5): uncompressed
 * responses, {@code insert(table, [columns,] InputStream, JSONEachRow | RowBinary)}, {@code execute(DDL)} and
 * {@code query(sql FORMAT JSONEachRow)} read as a raw stream. Thread-safe.
 */
public final class ClickHouseConnection implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClickHouseConnection.class);

    /**
     * Server error codes meaning the request itself is bad (unparsable row, wrong type, unknown
     * column): resending the same bytes can only fail again. Codes from ClickHouse's ErrorCodes.cpp.
     */
    private static final Set<Integer> DATA_REJECTED_CODES = Set.of(
            6,   // CANNOT_PARSE_TEXT
            16,  // NO_SUCH_COLUMN_IN_TABLE
            26,  // CANNOT_PARSE_QUOTED_STRING
            27,  // CANNOT_PARSE_INPUT_ASSERTION_FAILED
            33,  // CANNOT_READ_ALL_DATA (a RowBinary row shorter than its columns)
            38,  // CANNOT_PARSE_DATE
            41,  // CANNOT_PARSE_DATETIME
            53,  // TYPE_MISMATCH
            62,  // SYNTAX_ERROR
            69,  // ARGUMENT_OUT_OF_BOUND
            72,  // CANNOT_PARSE_NUMBER
            117  // INCORRECT_DATA (includes "Unknown field found while parsing JSONEachRow")
    );

    private final Client client;
    private final ClickHouseSettings settings;
    private final ObjectMapper json = new ObjectMapper();

    private ClickHouseConnection(Client client, ClickHouseSettings settings) {
        this.client = client;
        this.settings = settings;
    }

    /** Builds the client; does not contact the server. */
    public static ClickHouseConnection open(ClickHouseSettings settings) {
        long timeoutMillis = settings.operationTimeout().toMillis();
        Client.Builder builder = new Client.Builder();
        ClickHouseSettings.Tls tls = settings.tls();
        if (!tls.caFile().isEmpty()) {
            builder.setRootCertificate(tls.caFile());
        }
        if (!tls.certFile().isEmpty()) {
            builder.setClientCertificate(tls.certFile()).setClientKey(tls.keyFile());
        }
        if (settings.clustered()) {
            clusterSettings(settings).forEach(builder::serverSetting);
        }
        Client client = builder
                .addEndpoint(settings.url())
                .setUsername(settings.user())
                .setPassword(settings.password())
                // 18.16 answers compress=1 with an empty body (DESIGN.md §5)
                .compressServerResponse(false)
                // the client's own retries would resend an insert whose response was lost, i.e.
                // insert it twice; BatchWriter retries through its spool with a "did it land?" check
                .setMaxRetries(0)
                .setConnectTimeout(Math.min(timeoutMillis, 2_000), ChronoUnit.MILLIS)
                .setConnectionRequestTimeout(timeoutMillis, ChronoUnit.MILLIS)
                .setSocketTimeout(timeoutMillis, ChronoUnit.MILLIS)
                .setExecutionTimeout(timeoutMillis, ChronoUnit.MILLIS)
                .build();
        return new ClickHouseConnection(client, settings);
    }

    /**
     * Settings sent with every call on a cluster; all exist in 18.16 and in current versions.
     * <ul>
     * <li>{@code distributed_product_mode=global}: a query over a Distributed table with an {@code IN} or
     * {@code JOIN} subquery over another Distributed table (the "latest run per variant" reads of drift and
     * quality reports) is refused by default; {@code global} runs the subquery once on the node asked and
     * ships its result to the shards, which is right whatever shard the rows are on.</li>
     * <li>{@code insert_distributed_sync=1}: an insert into a Distributed table (control-loop reports, a
     * user's own) answers only once every shard has its rows, so a read right after it sees them; by
     * default it would only queue them on the node asked.</li>
     * <li>{@code load_balancing=in_order}: reads and inserts through Distributed tables go to the first
     * live replica of each shard (and to the node asked for its own shard), so a read sees the rows this
     * gateway wrote just before; at random (the default) it may ask a replica that has not fetched them yet.</li>
     * <li>{@code distributed_ddl_task_timeout}: an {@code ON CLUSTER} statement waits for every node
     * (180 s by default); with a node down it gives up within the call's own timeout instead, the nodes
     * that are up have run it, and the one that is down runs it from the queue when it is back.</li>
     * </ul>
     */
    static Map<String, String> clusterSettings(ClickHouseSettings settings) {
        long ddlSeconds = Math.max(1, settings.operationTimeout().toSeconds() - 1);
        return Map.of(
                "distributed_product_mode", "global",
                "insert_distributed_sync", "1",
                "load_balancing", "in_order",
                "distributed_ddl_task_timeout", Long.toString(ddlSeconds));
    }

    public ClickHouseSettings settings() {
        return settings;
    }

    /** Runs one statement without result (DDL, ALTER). */
    public void execute(String sql) throws ClickHouseCallException {
        release(await(() -> client.execute(sql), sql));
    }

    /** Runs a SELECT and returns its rows as JSON objects. Meant for small results (schema, probes). */
    public List<JsonNode> query(String select) throws ClickHouseCallException {
        String sql = select + " FORMAT JSONEachRow";
        QueryResponse response = await(() -> client.query(sql), sql);
        try (MappingIterator<JsonNode> rows = json.readerFor(JsonNode.class).readValues(response.getInputStream())) {
            List<JsonNode> result = new ArrayList<>();
            while (rows.hasNextValue()) {
                result.add(rows.nextValue());
            }
            return result;
        } catch (IOException | RuntimeException e) {
            throw classify(sql, e);
        } finally {
            release(response);
        }
    }

    /**
     * Runs a SELECT and returns its result as it arrives, in {@code format} (e.g. {@code TabSeparated}),
     * for results too large to hold: a batch job's input. Closing the stream gives the connection back.
     * The connection's operation timeout bounds the whole read, so open one with a timeout to match.
     */
    public InputStream stream(String select, String format) throws ClickHouseCallException {
        String sql = select + " FORMAT " + format;
        QueryResponse response = await(() -> client.query(sql), sql);
        return new java.io.FilterInputStream(response.getInputStream()) {
            @Override
            public void close() {
                release(response);
            }
        };
    }

    /** True when the server answers a trivial query: the cheap probe a backing-off writer sends. */
    public boolean ping() {
        try {
            query("SELECT 1");
            return true;
        } catch (ClickHouseCallException e) {
            return false;
        }
    }

    /** {@code SELECT count()} of the rows of {@code qualifiedTable} matching {@code predicate}. */
    public long count(String qualifiedTable, String predicate) throws ClickHouseCallException {
        List<JsonNode> rows = query("SELECT count() AS n FROM " + qualifiedTable + " WHERE " + predicate);
        // 18.16 quotes 64-bit integers in JSON output; asLong() reads both forms
        return rows.isEmpty() ? 0 : rows.get(0).path("n").asLong();
    }

    /**
     * Inserts rows laid out as {@code format} says as one INSERT. Atomic on the server as long as the
     * rows fit in one block (fewer than max_insert_block_size, 1,048,576 by default).
     */
    public void insert(String qualifiedTable, InsertFormat format, InputStream rows) throws ClickHouseCallException {
        String what = "INSERT INTO " + qualifiedTable + " FORMAT " + format.format();
        if (format.columns().isEmpty()) {
            release(await(() -> client.insert(qualifiedTable, rows, format.format()), what));
        } else {
            release(await(() -> client.insert(qualifiedTable, format.columns(), rows, format.format()), what));
        }
    }

    /** Inserts JSONEachRow bytes as one INSERT (see {@link #insert}). */
    public void insertJsonEachRow(String qualifiedTable, InputStream rows) throws ClickHouseCallException {
        insert(qualifiedTable, InsertFormat.JSON_EACH_ROW, rows);
    }

    private <R> R await(Supplier<CompletableFuture<R>> call, String what) throws ClickHouseCallException {
        // the client bounds the call itself (socket and execution timeouts); this is the backstop
        long backstopMillis = settings.operationTimeout().toMillis() + 1_000;
        try {
            return call.get().get(backstopMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw classify(what, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClickHouseCallException(what + ": interrupted", e, false);
        } catch (TimeoutException | RuntimeException e) {
            // in its default synchronous mode the client throws from the call instead of failing the future
            throw classify(what, e);
        }
    }

    /** Gives the HTTP connection back to the pool; the call already succeeded, so a failure here is noise. */
    private static void release(AutoCloseable response) {
        try {
            response.close();
        } catch (Exception e) {
            LOG.debug("closing a ClickHouse response failed", e);
        }
    }

    private static ClickHouseCallException classify(String what, Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ServerException) {
                ServerException server = (ServerException) t;
                boolean rejected = DATA_REJECTED_CODES.contains(server.getCode());
                return new ClickHouseCallException(what + ": server error " + server.getCode() + ": "
                        + firstLine(server.getMessage()), failure, rejected);
            }
        }
        return new ClickHouseCallException(what + ": " + failure, failure, false);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    @Override
    public void close() {
        client.close();
    }
}
