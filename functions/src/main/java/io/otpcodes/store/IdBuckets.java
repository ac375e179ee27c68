package io.otpcodes.store;

import io.otpcodes.domain.Timestamps;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The sizes of the summary table's id buckets. Fixed for a table's life: the summaries of a
 * table were counted with them. Tests use small ones to cross many buckets with little data.
 *
 * @param lines ids whose lines share a lines item; whole lines items make a fine bucket
 * @param fine ids a fine summary counts; whole fine buckets make a coarse one
 * @param coarse ids a coarse summary counts
 */
public record IdBuckets(int lines, int fine, int coarse) {

    /**
     * 100 ids a fine bucket, 100 fine buckets a coarse one: 100 coarse summaries at 1,000,000
     * codes. 25 lines an item: about 2.5 KB, so a write of one line costs 6 write units in a
     * transaction rather than the 20 of a 100-line item, and a pass still reads one item per 25 codes.
     */
    public static final IdBuckets DEFAULT = new IdBuckets(25, 100, 10_000);

    static final long SECONDS_PER_MINUTE = 60;
    static final long SECONDS_PER_HOUR = 3600;
    static final long MICROS_PER_DAY = 86_400_000_000L;

    public IdBuckets {
        if (lines < 1 || fine < lines || fine % lines != 0 || coarse < fine || coarse % fine != 0) {
            throw new IllegalArgumentException("each bucket must hold whole smaller ones: " + lines + "/" + fine + "/" + coarse);
        }
    }

    /** The lines item an id's line is in. */
    long linesBucket(long id) {
        return Math.floorDiv(id, lines);
    }

    long fineBucket(long id) {
        return Math.floorDiv(id, fine);
    }

    long coarseBucket(long id) {
        return Math.floorDiv(id, coarse);
    }

    /** The coarse bucket a fine bucket belongs to. */
    long coarseOfFine(long fineBucket) {
        return Math.floorDiv(fineBucket * fine, coarse);
    }

    Map<String, AttributeValue> fineKey(long id) {
        long f = fineBucket(id);
        return Map.of(SummaryTableSchema.PART, AttributeValue.fromS(SummaryTableSchema.finePart(coarseOfFine(f))),
                SummaryTableSchema.BUCKET, AttributeValue.fromN(Long.toString(f)));
    }

    Map<String, AttributeValue> coarseKey(long id) {
        return Map.of(SummaryTableSchema.PART, AttributeValue.fromS(SummaryTableSchema.COARSE_PART),
                SummaryTableSchema.BUCKET, AttributeValue.fromN(Long.toString(coarseBucket(id))));
    }

    static Map<String, AttributeValue> readyMarkerKey() {
        return Map.of(SummaryTableSchema.PART, AttributeValue.fromS(SummaryTableSchema.COARSE_PART),
                SummaryTableSchema.BUCKET, AttributeValue.fromN(Long.toString(SummaryTableSchema.READY_MARKER)));
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
