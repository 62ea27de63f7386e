package dev.modelgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The telemetry promise, checked against what really landed in ClickHouse: every answered request
 * has exactly one primary row in {@code predictions} (matched by its X-Request-Id), and no row is
 * written twice (event_id unique). The database must hold only the calling test's traffic.
 */
final class RowAccounting {

    /** Ids listed in a failure message: enough to grep the gateway log, not a wall of text. */
    private static final int SHOWN = 5;

    private final ClickHouse clickHouse;
    private final String table;
    private final Map<String, Integer> statusById;

    RowAccounting(ClickHouse clickHouse, String database) {
        this(clickHouse, database, Map.of());
    }

    /** {@code statusById}: the status each request was answered with, shown beside the ids a failure lists. */
    RowAccounting(ClickHouse clickHouse, String database, Map<String, Integer> statusById) {
        this.clickHouse = clickHouse;
        this.table = database + ".predictions";
        this.statusById = statusById;
    }

    /** What the table holds for a set of answered request ids. */
    record Result(int answered, long primaryRows, List<String> missing, Map<String, Integer> duplicated,
                  List<String> duplicateEventIds, List<String> unanswered) {

        boolean exact() {
            return missing.isEmpty() && duplicated.isEmpty() && duplicateEventIds.isEmpty() && unanswered.isEmpty();
        }

        String describe() {
            return "answered " + answered + ", primary rows " + primaryRows
                    + "; missing " + missing.size() + " " + first(missing)
                    + "; request ids with several rows " + duplicated.size() + " " + first(new ArrayList<>(duplicated.entrySet()))
                    + "; event ids written twice " + duplicateEventIds.size() + " " + first(duplicateEventIds)
                    + "; rows of requests never answered " + unanswered.size() + " " + first(unanswered);
        }

        private static <T> List<T> first(List<T> items) {
            return items.subList(0, Math.min(SHOWN, items.size()));
        }
    }

    /**
     * Waits until at least one primary row per answered request is there (or {@code timeout} passes),
     * then {@code settle} longer so a late duplicate has time to show, and asserts exact accounting.
     * {@code unansweredAllowed} rows of requests whose answer never arrived (the caller's connection
     * died with the gateway) are tolerated: the gateway may have logged them before it went away.
     */
    Result assertExactlyOnce(Collection<String> answered, int unansweredAllowed, Duration timeout, Duration settle)
            throws IOException, InterruptedException {
        awaitNoneMissing(answered, timeout);
        Thread.sleep(settle.toMillis());
        Result result = tally(answered);
        assertThat(result.missing().isEmpty() && result.duplicated().isEmpty() && result.duplicateEventIds().isEmpty()
                && result.unanswered().size() <= unansweredAllowed)
                .as("every answered request has exactly one row in %s: %s", table, result.describe())
                .isTrue();
        return result;
    }

    /**
     * Polls until every answered request has a row, or {@code timeout} passes. Waiting for a row count
     * would not do: rows of requests that were logged but never answered can make up the number early.
     */
    private void awaitNoneMissing(Collection<String> answered, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (tally(answered).missing().isEmpty()) {
                    return;
                }
            } catch (IOException tableNotThereYet) {
                // the gateway creates the table at start; keep polling
            }
            Thread.sleep(250);
        }
    }

    /** Compares the table with the answered ids; reads every row of the table once. */
    Result tally(Collection<String> answered) throws IOException, InterruptedException {
        Set<String> expected = new HashSet<>(answered);
        Map<String, Integer> rowsByRequest = new HashMap<>();
        Set<String> eventIds = new HashSet<>();
        List<String> duplicateEventIds = new ArrayList<>();
        long primaryRows = 0;
        for (String line : clickHouse.execute("SELECT request_id, event_id, role FROM " + table + " FORMAT TabSeparated").split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            String[] columns = line.split("\t", -1);
            if (!eventIds.add(columns[1])) {
                duplicateEventIds.add(columns[1]);
            }
            if (!columns[2].equals("shadow")) {
                primaryRows++;
                rowsByRequest.merge(columns[0], 1, Integer::sum);
            }
        }
        List<String> missing = new ArrayList<>();
        for (String id : expected) {
            if (!rowsByRequest.containsKey(id)) {
                missing.add(statusById.containsKey(id) ? id + " (" + statusById.get(id) + ")" : id);
            }
        }
        Map<String, Integer> duplicated = new HashMap<>();
        List<String> unanswered = new ArrayList<>();
        rowsByRequest.forEach((id, rows) -> {
            if (rows > 1) {
                duplicated.put(id, rows);
            }
            if (!expected.contains(id)) {
                unanswered.add(id);
            }
        });
        return new Result(expected.size(), primaryRows, missing, duplicated, duplicateEventIds, unanswered);
    }
}
