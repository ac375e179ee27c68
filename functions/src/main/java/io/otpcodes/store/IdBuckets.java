package io.otpcodes.store;

import io.otpcodes.domain.Timestamps;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The sizes of the summary table's id buckets. Fixed for a table's life: the summaries of a
 * table were counted with them. Tests use small ones to cross many buckets with little data.
 */
public record IdBuckets(int fine, int coarse) {

    /** 100 ids a fine bucket, 100 fine buckets a coarse one: 100 coarse summaries at 1,000,000 codes. */
    public static final IdBuckets DEFAULT = new IdBuckets(100, 10_000);

    static final long SECONDS_PER_MINUTE = 60;
    static final long SECONDS_PER_HOUR = 3600;
    static final long MICROS_PER_DAY = 86_400_000_000L;

    public IdBuckets {
        if (fine < 1 || coarse < fine || coarse % fine != 0) {
            throw new IllegalArgumentException("a coarse bucket must hold whole fine buckets: " + fine + "/" + coarse);
        }
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
