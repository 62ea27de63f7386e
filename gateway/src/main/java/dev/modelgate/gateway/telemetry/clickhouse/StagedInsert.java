package dev.modelgate.gateway.telemetry.clickhouse;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Inserts batches into one table so that an attempt the writer gave up on can never land afterwards,
 * which makes "look the batch up, then send it again" exactly-once on any ClickHouse version.
 *
 * <p>Why: an INSERT that times out on the client may still execute later — it can sit in a proxy, in
 * the server's accept queue or behind a busy server for longer than any timeout, and
 * {@code system.processes} only lists it once it runs. A lookup made in that window finds nothing, the
 * batch is sent again, and the late original lands too. ClickHouse 18.16 has no insert deduplication
 * for plain MergeTree tables, so the fence is built from DDL instead: each attempt writes the rows into
 * a staging table of its own ({@code ENGINE = Memory}, same columns), copies them into the target with
 * one {@code INSERT ... SELECT} and drops the staging table. Each step is sent only after the previous
 * one answered, so once {@link #fence()} has dropped every staging table of this writer, no request of
 * an earlier attempt can still reach the target: a late INSERT finds no table, and a late copy finds no
 * table (or, if it was already running, the DROP waits for it, so it has finished when the fence
 * returns). After the fence, a lookup of the batch's first row tells the truth.
 *
 * <p>The copy is one block (the batch is below {@code min_insert_block_size_rows}, which squashes an
 * INSERT SELECT's blocks), so it lands whole or not at all. A Memory table is empty again after a
 * server restart, so a copy that "succeeds" after a restart between the two steps would copy nothing:
 * {@link #insert} therefore confirms that the first row landed before it reports success.
 */
public final class StagedInsert {

    private static final Pattern WRITER_ID = Pattern.compile("[A-Za-z0-9]{1,32}");

    private final ClickHouseConnection clickHouse;
    private final String database;
    private final String table;
    private final String stagingPrefix;

    /**
     * @param table    unqualified target table
     * @param writerId identifies the writer across its restarts (so that a restarted writer fences the
     *                 attempts of its previous run); unique among writers sharing the database
     */
    public StagedInsert(ClickHouseConnection clickHouse, String table, String writerId) {
        if (!WRITER_ID.matcher(writerId).matches()) {
            throw new IllegalArgumentException("writerId must be 1-32 letters or digits, got: " + writerId);
        }
        this.clickHouse = clickHouse;
        this.database = clickHouse.settings().database();
        // on a cluster, the node's ReplicatedMergeTree table: one batch is one block on one shard, so it
        // lands whole or not at all, and the lookup below reads the very table the insert wrote
        this.table = clickHouse.settings().insertTable(SqlLiterals.identifier("table", table));
        this.stagingPrefix = "modelgate_staging_" + table + "_" + writerId + "_";
    }

    /**
     * Inserts the rows; on success they are in the target exactly once. On failure they may or may not
     * be ({@link ClickHouseCallException#dataRejected()} aside): call {@link #fence()} and then
     * {@link #landed} before trying again.
     *
     * @param landedPredicate matches the batch's first row
     */
    public void insert(InsertFormat format, InputStream rows, String landedPredicate) throws ClickHouseCallException {
        String staging = database + "." + stagingPrefix + UUID.randomUUID().toString().replace("-", "");
        String target = database + "." + table;
        clickHouse.execute("CREATE TABLE " + staging + " AS " + target + " ENGINE = Memory");
        try {
            clickHouse.insert(staging, format, rows);
        } catch (ClickHouseCallException e) {
            if (e.dataRejected()) {
                dropQuietly(staging); // nothing can land from a rejected batch: no fence needed
            }
            throw e;
        }
        clickHouse.execute("INSERT INTO " + target + " SELECT * FROM " + staging);
        clickHouse.execute("DROP TABLE IF EXISTS " + staging);
        if (!landed(landedPredicate)) {
            throw new ClickHouseCallException("INSERT INTO " + target + ": the copy from " + staging
                    + " brought no rows (the server restarted between the two steps)", null, false);
        }
    }

    /**
     * Drops every staging table this writer ever created. When it returns, no earlier attempt can land
     * any more; when it throws, that is not known yet.
     */
    public void fence() throws ClickHouseCallException {
        for (String staging : stagingTables()) {
            clickHouse.execute("DROP TABLE IF EXISTS " + database + "." + staging);
        }
    }

    /** Whether a row matching {@code predicate} is in the target. Meaningful after {@link #fence()}. */
    public boolean landed(String predicate) throws ClickHouseCallException {
        return clickHouse.count(database + "." + table, predicate) > 0;
    }

    private List<String> stagingTables() throws ClickHouseCallException {
        List<String> names = new ArrayList<>();
        // 18.16 has no startsWith(), and LIKE would need '_' escaped
        for (JsonNode row : clickHouse.query("SELECT name FROM system.tables WHERE database = " + SqlLiterals.quote(database)
                + " AND substring(name, 1, " + stagingPrefix.length() + ") = " + SqlLiterals.quote(stagingPrefix))) {
            names.add(row.path("name").asText());
        }
        return names;
    }

    private void dropQuietly(String staging) {
        try {
            clickHouse.execute("DROP TABLE IF EXISTS " + staging);
        } catch (ClickHouseCallException e) {
            // the next fence drops it
        }
    }
}
