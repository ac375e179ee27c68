package io.otpcodes.store;

import static io.otpcodes.store.DynamoDbOtpCodeRepository.n;
import static io.otpcodes.store.OtpTableSchema.CREATED_AT;
import static io.otpcodes.store.OtpTableSchema.EXPIRES_AT;
import static io.otpcodes.store.OtpTableSchema.ID;
import static io.otpcodes.store.OtpTableSchema.ID_BUCKET;

import io.otpcodes.domain.Timestamps;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Counts, once, the codes an older version wrote (they have no {@code id_bucket}), then marks the
 * summaries ready so that lists in id order use them. Safe while the new version serves: each
 * code is counted in a transaction that sets its id_bucket only if it has none and its TTL is
 * still the one counted, so no code is counted twice or with a stale expiry; a transaction that
 * loses such a race is redone code by code. Safe to run again: it counts only what is uncounted.
 */
public final class SummaryBackfill {

    /** A transaction holds at most 100 writes: the codes of one fine bucket and its two summaries. */
    static final int CODES_PER_TRANSACTION = 98;

    /** What a run did. */
    public record Result(long codesCounted, int transactions, boolean markedReady) {
    }

    private final DynamoDbClient dynamoDb;
    private final String otpTable;
    private final IdBuckets buckets;
    private final String summaryTable;

    public SummaryBackfill(DynamoDbClient dynamoDb, String otpTable, String summaryTable, IdBuckets buckets) {
        this.dynamoDb = dynamoDb;
        this.otpTable = otpTable;
        this.summaryTable = summaryTable;
        this.buckets = buckets;
    }

    /** Passes over the table before giving up on codes that keep changing under it. */
    static final int PASSES = 5;

    /** Counts every uncounted code; marks the summaries ready only when none is left. */
    public Result run() {
        int transactions = 0;
        long counted = 0;
        for (int pass = 0; pass < PASSES; pass++) {
            long[][] uncounted = uncountedCodes();
            long[] ids = uncounted[0];
            if (ids.length == 0) {
                dynamoDb.putItem(r -> r.tableName(summaryTable).item(DynamoDbOtpCodeRepository.readyMarker()));
                return new Result(counted, transactions, true);
            }
            int start = 0;
            while (start < ids.length) {
                long fine = buckets.fineBucket(ids[start]);
                int end = start;
                while (end < ids.length && end - start < CODES_PER_TRANSACTION && buckets.fineBucket(ids[end]) == fine) {
                    end++;
                }
                counted += countAll(uncounted, start, end);
                transactions++;
                start = end;
            }
        }
        return new Result(counted, transactions, false);
    }

    /** id, expires_at and created_at (micros) of every code without an id_bucket, by id. */
    private long[][] uncountedCodes() {
        List<long[]> rows = new ArrayList<>();
        Pages.readAll(from -> Pages.Page.of(dynamoDb.scan(r -> r.tableName(otpTable).consistentRead(true)
                .filterExpression("attribute_not_exists(#bucket)")
                .projectionExpression("#id, #expires, #created")
                .expressionAttributeNames(Map.of("#bucket", ID_BUCKET, "#id", ID, "#expires", EXPIRES_AT,
                        "#created", CREATED_AT))
                .exclusiveStartKey(from))), page -> {
                    for (Map<String, AttributeValue> item : page.items()) {
                        rows.add(new long[] {Long.parseLong(item.get(ID).n()), Long.parseLong(item.get(EXPIRES_AT).n()),
                                Long.parseLong(item.get(CREATED_AT).n())});
                    }
                });
        rows.sort((a, b) -> Long.compare(a[0], b[0]));
        long[][] columns = new long[3][rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            for (int c = 0; c < 3; c++) {
                columns[c][i] = rows.get(i)[c];
            }
        }
        return columns;
    }

    /** Counts codes [start, end) of one fine bucket in one transaction, or one by one if any changed meanwhile. */
    private long countAll(long[][] codes, int start, int end) {
        try {
            transact(codes, start, end);
            return end - start;
        } catch (TransactionCanceledException e) {
            if (end - start == 1) {
                return 0; // changed meanwhile (or in another transaction's way): the next pass reads it again
            }
            long counted = 0;
            for (int i = start; i < end; i++) {
                counted += countAll(codes, i, i + 1);
            }
            return counted;
        }
    }

    private void transact(long[][] codes, int start, int end) {
        long id0 = codes[0][start];
        Map<String, Long> fine = new HashMap<>();
        Map<String, Long> coarse = new HashMap<>();
        List<TransactWriteItem> writes = new ArrayList<>();
        for (int i = start; i < end; i++) {
            long id = codes[0][i];
            long expiresAt = codes[1][i];
            String day = IdBuckets.createdDay(Timestamps.fromEpochMicros(codes[2][i]));
            fine.merge(IdBuckets.fineExpiry(expiresAt), 1L, Long::sum);
            fine.merge(day, 1L, Long::sum);
            coarse.merge(IdBuckets.coarseExpiry(expiresAt), 1L, Long::sum);
            coarse.merge(day, 1L, Long::sum);
            writes.add(TransactWriteItem.builder().update(u -> u.tableName(otpTable).key(Map.of(ID, n(id)))
                    .updateExpression("SET #bucket = :bucket")
                    .conditionExpression("attribute_exists(#id) AND attribute_not_exists(#bucket) AND #expires = :expires")
                    .expressionAttributeNames(Map.of("#bucket", ID_BUCKET, "#id", ID, "#expires", EXPIRES_AT))
                    .expressionAttributeValues(Map.of(":bucket", n(buckets.fineBucket(id)), ":expires", n(expiresAt))))
                    .build());
        }
        writes.add(DynamoDbOtpCodeRepository.summaryAdd(summaryTable, buckets.fineKey(id0), fine));
        writes.add(DynamoDbOtpCodeRepository.summaryAdd(summaryTable, buckets.coarseKey(id0), coarse));
        dynamoDb.transactWriteItems(r -> r.transactItems(writes));
    }
}
