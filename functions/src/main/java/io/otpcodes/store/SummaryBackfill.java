package io.otpcodes.store;

import static io.otpcodes.store.DynamoDbOtpCodeRepository.n;
import static io.otpcodes.store.OtpTableSchema.COUNTED;
import static io.otpcodes.store.OtpTableSchema.EXPIRES_AT;
import static io.otpcodes.store.OtpTableSchema.ID;
import static io.otpcodes.store.OtpTableSchema.UPDATED_AT;
import static io.otpcodes.store.OtpTableSchema.VERSION;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongUnaryOperator;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Counts, once, the codes the summaries of this layout do not count yet (an older version wrote
 * them, or counted them in the layout before stripes: they have no {@code counted} = 2) and
 * writes their lines, then marks the summaries ready so that lists use them. Safe while the new
 * version serves: each code is counted in a transaction that marks it counted only if it was not
 * and it is still the version read, so no code is counted twice or with a stale expiry or line;
 * a transaction that loses such a race is redone code by code, and a code that changed is read
 * again in the next pass. Safe to run again: it counts only what is uncounted.
 *
 * <p>It holds the ids of the uncounted codes (8 bytes each), not the codes: a Scan of their ids,
 * then, quantum by quantum, a consistent read of the codes and one transaction of the bulk path
 * ({@link BulkCodeWriter}) per quantum.
 */
public final class SummaryBackfill {

    /** What a run did. */
    public record Result(long codesCounted, int transactions, boolean markedReady, long stripesFolded) {
    }

    private final DynamoDbClient dynamoDb;
    private final String otpTable;
    private final IdBuckets buckets;
    private final String summaryTable;
    private final BulkCodeWriter writer;

    public SummaryBackfill(DynamoDbClient dynamoDb, String otpTable, String summaryTable, IdBuckets buckets) {
        this.dynamoDb = dynamoDb;
        this.otpTable = otpTable;
        this.summaryTable = summaryTable;
        this.buckets = buckets;
        this.writer = new BulkCodeWriter(dynamoDb, summaryTable, buckets);
    }

    /** Passes over the table before giving up on codes that keep changing under it. */
    static final int PASSES = 5;

    static final int SCAN_SEGMENTS = ParallelRequests.THREADS;

    /** One code as read, with what its transaction checks. */
    private record Row(CodeLines.Line line, Map<String, AttributeValue> read) {
        long id() {
            return line.code().id();
        }
    }

    /** Counts every uncounted code and writes its line; marks the summaries ready only when none is left. */
    public Result run() {
        return run(Instant.now());
    }

    /** {@link #run()} at {@code now}: what its folds judge expired by (they drop counts of codes expired over a day before). */
    public Result run(Instant now) {
        Totals totals = new Totals();
        TreeSet<Long> coarseBuckets = new TreeSet<>();
        for (int pass = 0; pass < PASSES; pass++) {
            long[] ids = uncountedIds();
            for (long id : ids) {
                coarseBuckets.add(buckets.coarseBucket(id));
            }
            if (writeAll(ids, totals)) {
                dynamoDb.putItem(r -> r.tableName(summaryTable).item(CodeTransactions.readyMarker()));
                return new Result(totals.counted.get(), totals.transactions.get(), true, fold(coarseBuckets, now));
            }
        }
        return new Result(totals.counted.get(), totals.transactions.get(), false, 0);
    }

    /**
     * Folds the stripes the backfill left in the coarse buckets it counted, so that the first
     * lists after it read one item a bucket; not the newest, which creates may be writing (its
     * stripes keep them apart; a list folds it once they have moved on).
     */
    private long fold(TreeSet<Long> coarseBuckets, Instant now) {
        if (coarseBuckets.isEmpty()) {
            return 0;
        }
        StripeFolder folder = new StripeFolder(dynamoDb, summaryTable, buckets);
        long folded = 0;
        for (long bucket : coarseBuckets.headSet(coarseBuckets.last())) {
            folded += folder.fold(bucket, now);
        }
        return folded;
    }

    /** What a run has done so far, from several threads. */
    private static final class Totals {
        final AtomicLong counted = new AtomicLong();
        final AtomicInteger transactions = new AtomicInteger();
    }

    /**
     * Counts the codes of these ids (sorted), several coarse buckets at once (each has its own
     * summary items, so their transactions do not meet), a quantum per transaction; whether all
     * were counted.
     */
    private boolean writeAll(long[] ids, Totals totals) {
        List<Supplier<Boolean>> coarseBuckets = new ArrayList<>();
        int start = 0;
        while (start < ids.length) {
            int end = runEnd(ids, start, buckets::coarseBucket, Integer.MAX_VALUE);
            int from = start;
            coarseBuckets.add(() -> writeCoarseBucket(ids, from, end, totals));
            start = end;
        }
        return ParallelRequests.runAll(coarseBuckets).stream().allMatch(Boolean::booleanValue);
    }

    private boolean writeCoarseBucket(long[] ids, int from, int to, Totals totals) {
        boolean all = true;
        int start = from;
        while (start < to) {
            int end = Math.min(runEnd(ids, start, buckets::linesBucket, BulkCodeWriter.MAX_CODES), to);
            List<Row> rows = read(ids, start, end);
            if (!rows.isEmpty()) {
                all &= writeQuantum(rows, totals);
            }
            start = end;
        }
        return all;
    }

    /** Where the run of ids from {@code start} that share a bucket ends, at most {@code max} long. */
    private static int runEnd(long[] ids, int start, LongUnaryOperator bucket, int max) {
        long first = bucket.applyAsLong(ids[start]);
        int end = start;
        while (end < ids.length && end - start < max && bucket.applyAsLong(ids[end]) == first) {
            end++;
        }
        return end;
    }

    /**
     * The ids of every code not counted in this layout, sorted, read in parallel Scan segments.
     * Codes past their TTL too: counted in the expiry minute that has passed, they change no count
     * a list reads.
     */
    private long[] uncountedIds() {
        List<Supplier<LongList>> segments = new ArrayList<>();
        for (int segment = 0; segment < SCAN_SEGMENTS; segment++) {
            int s = segment;
            segments.add(() -> segment(s));
        }
        LongList ids = new LongList();
        ParallelRequests.runAll(segments).forEach(ids::addAll);
        long[] sorted = ids.toArray();
        Arrays.sort(sorted);
        return sorted;
    }

    /** One segment of a parallel Scan, ids only: DynamoDB reads the segments side by side. */
    private LongList segment(int segment) {
        LongList ids = new LongList();
        Pages.readAll(from -> Pages.Page.of(dynamoDb.scan(r -> r.tableName(otpTable).consistentRead(true).segment(segment)
                .totalSegments(SCAN_SEGMENTS).exclusiveStartKey(from)
                .projectionExpression("#id")
                .filterExpression("NOT #counted = :layout").expressionAttributeNames(Map.of("#counted", COUNTED, "#id", ID))
                .expressionAttributeValues(Map.of(":layout", n(OtpTableSchema.LAYOUT))))), page -> {
            for (Map<String, AttributeValue> item : page.items()) {
                ids.add(Long.parseLong(item.get(ID).n()));
            }
        });
        return ids;
    }

    /** The codes of {@code ids[from..to)} as stored now (consistently), those still uncounted, by id. */
    private List<Row> read(long[] ids, int from, int to) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (int i = from; i < to; i++) {
            keys.add(Map.of(ID, n(ids[i])));
        }
        List<Row> rows = new ArrayList<>();
        for (Map<String, AttributeValue> item : BatchReads.consistent(dynamoDb, otpTable, keys)) {
            if (!CodeTransactions.counted(item)) {
                rows.add(new Row(new CodeLines.Line(DynamoDbOtpCodeRepository.toOtpCode(item),
                        Long.parseLong(item.get(EXPIRES_AT).n())), versionOf(item)));
            }
        }
        rows.sort(Comparator.comparingLong(Row::id));
        return rows;
    }

    /** What the transaction of a code checks is unchanged: its version (and, on a code with none yet, its updated_at and TTL). */
    private static Map<String, AttributeValue> versionOf(Map<String, AttributeValue> item) {
        Map<String, AttributeValue> read = new HashMap<>();
        for (String attribute : List.of(VERSION, UPDATED_AT, EXPIRES_AT)) {
            if (item.containsKey(attribute)) {
                read.put(attribute, item.get(attribute));
            }
        }
        return read;
    }

    /**
     * Counts rows of one quantum in one transaction, or one by one if any changed meanwhile.
     *
     * @return whether every row was counted
     */
    private boolean writeQuantum(List<Row> rows, Totals totals) {
        try {
            totals.transactions.incrementAndGet();
            writer.write(rows.stream().map(this::change).toList());
            totals.counted.addAndGet(rows.size());
            return true;
        } catch (TransactionCanceledException e) {
            if (rows.size() == 1) {
                return false; // changed meanwhile: the next pass reads it again
            }
            boolean all = true;
            for (Row row : rows) {
                all &= writeQuantum(List.of(row), totals);
            }
            return all;
        }
    }

    /** Marks a code counted in this layout, on condition that it was not and is still the version read. */
    private BulkCodeWriter.Change change(Row row) {
        Expression expression = new Expression();
        String update = "SET " + expression.name(COUNTED) + " = " + expression.value(n(OtpTableSchema.LAYOUT)) + ", "
                + expression.name(VERSION) + " = " + expression.value(n(CodeTransactions.version(row.read()) + 1));
        String condition = "attribute_exists(" + expression.name(ID) + ") AND NOT " + expression.name(COUNTED) + " = "
                + expression.value(n(OtpTableSchema.LAYOUT)) + " AND " + CodeTransactions.sameVersion(expression, row.read());
        TransactWriteItem write = TransactWriteItem.builder().update(u -> u.tableName(otpTable).key(Map.of(ID, n(row.id())))
                .updateExpression(update).conditionExpression(condition)
                .expressionAttributeNames(expression.names()).expressionAttributeValues(expression.values())).build();
        return new BulkCodeWriter.Change(row.line(), null, write);
    }
}
