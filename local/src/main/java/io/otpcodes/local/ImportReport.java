package io.otpcodes.local;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What an import did, to paste into a change ticket: how many rows were imported, updated,
 * unchanged, skipped and rejected, and each rejected row by line and field (never its values).
 */
final class ImportReport {

    enum Count { IMPORTED, UPDATED, UNCHANGED, SKIPPED, REJECTED }

    /** Rejected rows listed one by one; past that they are only counted. */
    static final int LISTED = 1000;

    private final Map<Count, AtomicLong> counts = new EnumMap<>(Count.class);
    private final List<String> rejections = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private long listedRows;

    ImportReport() {
        for (Count count : Count.values()) {
            counts.put(count, new AtomicLong());
        }
    }

    void add(Count count, long n) {
        counts.get(count).addAndGet(n);
    }

    long get(Count count) {
        return counts.get(count).get();
    }

    /** A rejected row: {@code line N: field: message}. */
    synchronized void reject(long line, String field, String message) {
        reject(line, Map.of(field, List.of(message)));
    }

    /** A row rejected for several fields at once: one count, a line each. */
    synchronized void reject(long line, Map<String, List<String>> errors) {
        add(Count.REJECTED, 1);
        if (rejections.size() >= LISTED) {
            return;
        }
        listedRows++;
        errors.forEach((field, messages) -> messages.forEach(message -> rejections.add("line " + line + ": " + field + ": " + message)));
    }

    /** A line said under the counts (what was skipped and why, the id counter). */
    synchronized void note(String note) {
        notes.add(note);
    }

    boolean anyRejected() {
        return get(Count.REJECTED) > 0;
    }

    void print(PrintStream out, String title, boolean dryRun) {
        out.println(title + (dryRun ? " (dry run: nothing written)" : ""));
        for (Count count : Count.values()) {
            out.println(String.format(Locale.ROOT, "  %-10s %,12d", count.name().toLowerCase(Locale.ROOT), get(count)));
        }
        for (String note : notes) {
            out.println(note);
        }
        if (!rejections.isEmpty()) {
            out.println("rejected rows (nothing of them written):");
            rejections.forEach(r -> out.println("  " + r));
            if (get(Count.REJECTED) > listedRows) {
                out.println(String.format(Locale.ROOT, "  ... and %,d more rows, not listed", get(Count.REJECTED) - listedRows));
            }
        }
    }
}
