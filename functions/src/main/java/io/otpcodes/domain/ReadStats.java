package io.otpcodes.domain;

/**
 * What a list cost the store: the operation (Query, Scan, or Summary and Lines for the summary
 * table's counts and lines), the index (null for a table),
 * the read capacity consumed, the items read and the pages (1 MB each at most) followed; the most
 * codes the list held in memory at once (what bounds its heap: a one-pass list keeps at most
 * offset + limit of them, however many parallel readers it has); and
 * whether the summaries counted every code (false: the list had to scan the table for want of
 * them, as on an older table before its backfill).
 */
public record ReadStats(String operation, String index, double consumedCapacity, int itemsRead, int pages,
        long codesHeld, boolean summariesReady) {

    public ReadStats(String operation, String index, double consumedCapacity, int itemsRead, int pages, long codesHeld) {
        this(operation, index, consumedCapacity, itemsRead, pages, codesHeld, true);
    }

    /** The stats of a list that read nothing. */
    public static ReadStats none() {
        return new ReadStats("None", null, 0, 0, 0, 0);
    }

    /** These stats, of a list that scanned because the summaries do not count every code yet. */
    public ReadStats withSummariesNotReady() {
        return new ReadStats(operation, index, consumedCapacity, itemsRead, pages, codesHeld, false);
    }
}
