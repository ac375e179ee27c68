package io.otpcodes.domain;

/**
 * What a list cost the store: the operation (Query, Scan, or Summary and Lines for the summary
 * table's counts and lines), the index (null for a table),
 * the read capacity consumed, the items read and the pages (1 MB each at most) followed.
 */
public record ReadStats(String operation, String index, double consumedCapacity, int itemsRead, int pages) {
}
