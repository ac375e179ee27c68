package io.otpcodes.domain;

/**
 * What a list cost the store: the operation (Query or Scan), the index (null for the table),
 * the read capacity consumed, the items read and the pages (1 MB each at most) followed.
 */
public record ReadStats(String operation, String index, double consumedCapacity, int itemsRead, int pages) {
}
