package io.otpcodes.store;

import io.otpcodes.domain.Timestamps;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * How the summary table cuts ids into buckets and spreads them over items. Fixed for a table's
 * life: the summaries of a table were counted with them. Tests use small ones to cross many
 * buckets with little data.
 *
 * <p>Every create writes three summary items, so none may be shared by the creates that run at
 * once (DynamoDB cancels a transaction that meets another on an item, and one partition key takes
 * 1,000 write units a second). A <em>quantum</em> of {@code lines} ids has one lines item and one
 * fine summary; a busy function takes its ids in blocks that own whole quanta
 * ({@link IdAllocator}), so the quanta being written at one moment each belong to one container.
 * The coarse summary of a coarse bucket is cut into {@code stripes} items, a quantum counted in
 * stripe {@code quantum mod stripes}: quanta taken one after another land on different stripes.
 * The summaries are spread over {@code summaryPartitions} partition keys, the lines items (three
 * times the write units) over {@code linesPartitions}; readers sum the stripes and merge the
 * partitions.
 *
 * @param lines ids of a quantum: one lines item, one fine summary
 * @param fine ids of a bucket of the id_bucket index that versions before this one wrote; only
 *     checked to hold whole quanta and to fit the coarse bucket (no list reads that index any more)
 * @param coarse ids a coarse summary counts (in {@code stripes} items)
 * @param stripes items the coarse summary of a coarse bucket is cut into
 * @param summaryPartitions partition keys the coarse summaries, and a coarse bucket's fine summaries, are spread over
 * @param linesPartitions partition keys a coarse bucket's lines items are spread over
 */
public record IdBuckets(int lines, int fine, int coarse, int stripes, int summaryPartitions, int linesPartitions) {

    /**
     * Quanta of 25 ids (a lines item of about 2.5 KB: 6 transactional write units), index buckets
     * of 100 ids, coarse buckets of 10,000 ids cut into 256 stripes (more than the quanta busy
     * containers write at once). A create writes 2 units to a summary partition and 6 to a lines
     * partition: with 4 and 16 partition keys, each key takes about 750 units a second at 1,500
     * creates a second, under DynamoDB's 1,000.
     */
    public static final IdBuckets DEFAULT = new IdBuckets(25, 100, 10_000, 256, 4, 16);

    static final long SECONDS_PER_MINUTE = 60;
    static final long SECONDS_PER_HOUR = 3600;
    static final long MICROS_PER_DAY = 86_400_000_000L;

    public IdBuckets {
        if (lines < 1 || fine < lines || fine % lines != 0 || coarse < fine || coarse % fine != 0 || stripes < 1
                || summaryPartitions < 1 || linesPartitions < 1) {
            throw new IllegalArgumentException("each bucket must hold whole smaller ones: "
                    + lines + "/" + fine + "/" + coarse + "/" + stripes + "/" + summaryPartitions + "/" + linesPartitions);
        }
    }

    /** Small buckets for tests, still cut into stripes and partitions. */
    public IdBuckets(int lines, int fine, int coarse) {
        this(lines, fine, coarse, 4, 2, 3);
    }

    /** The quantum an id is in: its lines item and its fine summary. */
    long linesBucket(long id) {
        return Math.floorDiv(id, lines);
    }

    long coarseBucket(long id) {
        return Math.floorDiv(id, coarse);
    }

    /** The stripe of the coarse summary an id is counted in. */
    int stripe(long id) {
        return (int) Math.floorMod(linesBucket(id), (long) stripes);
    }

    /** The fine summary of an id's quantum. */
    Map<String, AttributeValue> fineKey(long id) {
        long q = linesBucket(id);
        return key(SummaryTableSchema.finePart(coarseBucket(id), spread(q, summaryPartitions)), q);
    }

    /** The coarse summary stripe an id is counted in: sort key {@code coarse bucket * stripes + stripe}. */
    Map<String, AttributeValue> coarseKey(long id) {
        int stripe = stripe(id);
        return key(SummaryTableSchema.coarsePart(spread(stripe, summaryPartitions)), coarseBucket(id) * stripes + stripe);
    }

    /** The lines item of an id's quantum. */
    Map<String, AttributeValue> linesKey(long id) {
        long q = linesBucket(id);
        return key(SummaryTableSchema.linesPart(coarseBucket(id), spread(q, linesPartitions)), q);
    }

    /** The coarse bucket a coarse summary stripe counts, from its sort key. */
    long coarseOfStripe(long sortKey) {
        return Math.floorDiv(sortKey, stripes);
    }

    /** Which stripe of its coarse bucket a stripe item is, from its sort key. */
    int stripeOfSortKey(long sortKey) {
        return (int) Math.floorMod(sortKey, (long) stripes);
    }

    /**
     * Stripes folded in one transaction (with the folded summary: 65 items, under DynamoDB's 100
     * a transaction).
     */
    static final int FOLD_GROUP = 64;

    /** The groups a coarse bucket's stripes are folded in. */
    int foldGroups() {
        return (stripes + FOLD_GROUP - 1) / FOLD_GROUP;
    }

    /** The fold group of a stripe. */
    static int foldGroup(int stripe) {
        return stripe / FOLD_GROUP;
    }

    /** The folded summary of a coarse bucket: the counts of its stripes that were folded into it. */
    static Map<String, AttributeValue> foldedKey(long coarseBucket) {
        return key(SummaryTableSchema.FOLDED_PART, coarseBucket);
    }

    /**
     * The partition of quantum (or stripe) {@code n} among {@code partitions}, by a hash of it: busy
     * containers that started together walk their blocks in step, and {@code n mod partitions}
     * would send them all to one partition key at a time.
     */
    static int spread(long n, int partitions) {
        return (int) Math.floorMod((n * 0x9E3779B97F4A7C15L) >>> 32, (long) partitions);
    }

    static Map<String, AttributeValue> readyMarkerKey() {
        return key(SummaryTableSchema.READY_PART, SummaryTableSchema.READY_MARKER);
    }

    private static Map<String, AttributeValue> key(String part, long bucket) {
        return Map.of(SummaryTableSchema.PART, AttributeValue.fromS(part),
                SummaryTableSchema.BUCKET, AttributeValue.fromN(Long.toString(bucket)));
    }

    /** The attribute counting codes of a fine bucket whose TTL falls in this minute. */
    static String fineExpiry(long expiresAt) {
        return SummaryTableSchema.EXPIRY_PREFIX + Math.floorDiv(expiresAt, SECONDS_PER_MINUTE);
    }

    /** The attribute counting codes of a coarse bucket whose TTL falls in this hour. */
    static String coarseExpiry(long expiresAt) {
        return SummaryTableSchema.EXPIRY_PREFIX + Math.floorDiv(expiresAt, SECONDS_PER_HOUR);
    }

    /** The attribute counting codes of a bucket created on this UTC day. */
    static String createdDay(Instant createdAt) {
        return SummaryTableSchema.CREATED_DAY_PREFIX + Math.floorDiv(Timestamps.toEpochMicros(createdAt), MICROS_PER_DAY);
    }
}
