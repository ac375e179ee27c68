package io.otpcodes.store;

/**
 * The summary table (template.yaml declares it; a test checks): per id-bucket counts of the OTP
 * codes, kept in the same transaction as every write that changes them, so that a list in id
 * order finds its page and an exact count without reading the OTP table. How ids map to items:
 * {@link IdBuckets}.
 *
 * <p>Two levels: a coarse bucket of {@link IdBuckets#coarse()} ids, counted in
 * {@link IdBuckets#stripes()} items {@code (coarse#p, c * stripes + stripe)}, and its quanta of
 * {@link IdBuckets#lines()} ids, one fine summary each, {@code (fine#c#p, q)}. Each holds counts
 * by expiry ({@code e<hour>} on the coarse level, {@code e<minute>} on a fine summary: a code is
 * listable while its TTL {@code expires_at} is in the future, so the counts of the hour or minute
 * of "now" are the only ones a reader cannot judge without looking closer) and by UTC day of
 * creation ({@code d<epoch day>}, for the created_* filters). Counts are top-level attributes so
 * that {@code ADD} creates them; a stripe's count may go below zero (a PATCH moves a code's count
 * in its own stripe), the sum of the stripes never does.
 *
 * <p>Beside the counts, each quantum has a lines item {@code (lines#c#p, q)}: a line of text per
 * code, for the lists that look at every code (see {@link CodeLines}).
 *
 * <p>The partition names differ from those of the layout before stripes ({@code coarse},
 * {@code fine#c}, {@code lines#c}), whose items this version neither reads nor writes: a table
 * counted in that layout is counted again by the backfill (see {@link OtpTableSchema#COUNTED}).
 */
public final class SummaryTableSchema {

    public static final String PART = "part";
    public static final String BUCKET = "bucket";

    /** Present once every code in the table is counted (the table's first code wrote it, or the backfill did). */
    public static final String READY_PART = "coarse#0";
    public static final long READY_MARKER = -1;
    /** The summaries layout the marker is for ({@link OtpTableSchema#COUNTED}). */
    static final String LAYOUT = "layout";
    static final String EXPIRY_PREFIX = "e";
    static final String CREATED_DAY_PREFIX = "d";

    /** A stripe's writes so far: every write ADDs 1, so a fold can tell the state it read is still there. */
    static final String STRIPE_VERSION = "v";
    /** A random number the first write of a stripe item sets: which life of the item it is (a fold deletes it). */
    static final String STRIPE_LIFE = "i";
    /** The partition of the folded summaries: one item a coarse bucket, its stripes' counts folded in. */
    static final String FOLDED_PART = "folded";
    /** A folded summary's own version (every fold puts the item on condition it is still the one read). */
    static final String FOLDED_VERSION = "fv";
    /** {@code t<group>}: when a group of stripes was last folded (epoch milliseconds, the folder's clock). */
    static final String FOLD_TIME_PREFIX = "t";
    /** {@code k<group>}: the lives of the stripes the group's last fold deleted (a number set). */
    static final String FOLDED_LIVES_PREFIX = "k";

    private SummaryTableSchema() {
    }

    /** Whether an attribute of a summary item is a count (of an expiry minute or hour, or of a day of creation). */
    static boolean isCount(String attribute) {
        return attribute.startsWith(EXPIRY_PREFIX) || attribute.startsWith(CREATED_DAY_PREFIX);
    }

    static String coarsePart(int partition) {
        return "coarse#" + partition;
    }

    static String finePart(long coarseBucket, int partition) {
        return "fine#" + coarseBucket + "#" + partition;
    }

    static String linesPart(long coarseBucket, int partition) {
        return "lines#" + coarseBucket + "#" + partition;
    }
}
