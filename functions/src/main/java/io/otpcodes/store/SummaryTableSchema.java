package io.otpcodes.store;

/**
 * The summary table (template.yaml declares it; a test checks): per id-bucket counts of the OTP
 * codes, kept in the same transaction as every write that changes them, so that a list in id
 * order finds its page and an exact count without reading the OTP table.
 *
 * <p>Two levels of buckets by id: a coarse bucket of {@link IdBuckets#coarse()} ids, item
 * {@code (coarse, c)}, and its fine buckets of {@link IdBuckets#fine()} ids, items
 * {@code (fine#c, f)}. Each holds counts by expiry ({@code e<hour>} on a coarse bucket,
 * {@code e<minute>} on a fine one: a code is listable while its TTL {@code expires_at} is in
 * the future, so the counts of the hour or minute of "now" are the only ones a reader cannot
 * judge without looking closer) and by UTC day of creation ({@code d<epoch day>}, for the
 * created_* filters). Counts are top-level attributes so that {@code ADD} creates them.
 *
 * <p>Beside the counts, each fine bucket has a lines item {@code (lines#c, f)}: a line of text
 * per code of the bucket, for the lists that look at every code (see {@link CodeLines}).
 */
public final class SummaryTableSchema {

    public static final String PART = "part";
    public static final String BUCKET = "bucket";

    /** The partition of every coarse bucket: read whole by one Query. */
    public static final String COARSE_PART = "coarse";
    /** The partition of the fine buckets of coarse bucket {@code c} is {@code fine#c}. */
    static final String FINE_PART_PREFIX = "fine#";
    /**
     * In the coarse partition, before every bucket: present once every code in the table is
     * counted (the table's first code wrote it, or the backfill did on an older table).
     */
    public static final long READY_MARKER = -1;
    /** On the ready marker: the lines items hold every code too (a table counted before they existed has no such flag). */
    static final String LINES_READY = "lines";
    /** The partition of the lines items of coarse bucket {@code c} is {@code lines#c}. */
    static final String LINES_PART_PREFIX = "lines#";
    static final String EXPIRY_PREFIX = "e";
    static final String CREATED_DAY_PREFIX = "d";

    private SummaryTableSchema() {
    }

    static String finePart(long coarseBucket) {
        return FINE_PART_PREFIX + coarseBucket;
    }

    static String linesPart(long coarseBucket) {
        return LINES_PART_PREFIX + coarseBucket;
    }
}
