package io.otpcodes.store;

import static io.otpcodes.store.DynamoDbOtpCodeRepository.n;
import static io.otpcodes.store.OtpTableSchema.COUNTED;
import static io.otpcodes.store.OtpTableSchema.EXPIRES_AT;
import static io.otpcodes.store.OtpTableSchema.ID;
import static io.otpcodes.store.OtpTableSchema.ID_BUCKET;
import static io.otpcodes.store.OtpTableSchema.UPDATED_AT;
import static io.otpcodes.store.OtpTableSchema.VERSION;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 */
public final class SummaryBackfill {

    /**
     * A transaction holds at most 100 writes: the codes of one lines item (in one fine bucket),
     * their two summaries and the lines item.
     */
    static final int CODES_PER_TRANSACTION = 97;

    /** What a run did. */
    public record Result(long codesCounted, int transactions, boolean markedReady) {
    }

    private final DynamoDbClient dynamoDb;
    private final String otpTable;
    private final IdBuckets buckets;
    private final String summaryTable;
    private final CodeLines lines;

    public SummaryBackfill(DynamoDbClient dynamoDb, String otpTable, String summaryTable, IdBuckets buckets) {
        this.dynamoDb = dynamoDb;
        this.otpTable = otpTable;
        this.summaryTable = summaryTable;
        this.buckets = buckets;
        this.lines = new CodeLines(summaryTable, buckets);
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
        Totals totals = new Totals();
        for (int pass = 0; pass < PASSES; pass++) {
            if (writeAll(codes(), totals)) {
                dynamoDb.putItem(r -> r.tableName(summaryTable).item(CodeTransactions.readyMarker()));
                return new Result(totals.counted.get(), totals.transactions.get(), true);
            }
        }
        return new Result(totals.counted.get(), totals.transactions.get(), false);
    }

    /** What a run has done so far, from several threads. */
    private static final class Totals {
        final AtomicLong counted = new AtomicLong();
        final AtomicInteger transactions = new AtomicInteger();
    }

    /**
     * Writes rows (by id) several coarse buckets at once (each has its own summary items, so their
     * transactions do not meet), a lines item per transaction; whether all were written.
     */
    private boolean writeAll(List<Row> rows, Totals totals) {
        List<Supplier<Boolean>> coarseBuckets = new ArrayList<>();
        for (List<Row> coarseBucket : runs(rows, buckets::coarseBucket, Integer.MAX_VALUE)) {
            coarseBuckets.add(() -> {
                boolean all = true;
                for (List<Row> linesBucket : runs(coarseBucket, buckets::linesBucket, CODES_PER_TRANSACTION)) {
                    all &= writeLinesBucket(linesBucket, totals);
                }
                return all;
            });
        }
        return ParallelRequests.runAll(coarseBuckets).stream().allMatch(Boolean::booleanValue);
    }

    /** Rows (by id) cut where their bucket changes, and every {@code max} rows. */
    private static List<List<Row>> runs(List<Row> rows, LongUnaryOperator bucket, int max) {
        List<List<Row>> runs = new ArrayList<>();
        int start = 0;
        while (start < rows.size()) {
            long first = bucket.applyAsLong(rows.get(start).id());
            int end = start;
            while (end < rows.size() && end - start < max && bucket.applyAsLong(rows.get(end).id()) == first) {
                end++;
            }
            runs.add(rows.subList(start, end));
            start = end;
        }
        return runs;
    }

    /**
     * Every code not counted in this layout, by id, read in parallel Scan segments. Codes past
     * their TTL too: counted in the expiry minute that has passed, they change no count a list reads.
     */
    private List<Row> codes() {
        List<Supplier<List<Row>>> segments = new ArrayList<>();
        for (int segment = 0; segment < SCAN_SEGMENTS; segment++) {
            int s = segment;
            segments.add(() -> segment(s));
        }
        List<Row> rows = new ArrayList<>();
        ParallelRequests.runAll(segments).forEach(rows::addAll);
        rows.sort(Comparator.comparingLong(Row::id));
        return rows;
    }

    /** One segment of a parallel Scan: DynamoDB reads the segments side by side. */
    private List<Row> segment(int segment) {
        List<Row> rows = new ArrayList<>();
        Pages.readAll(from -> Pages.Page.of(dynamoDb.scan(r -> r.tableName(otpTable).consistentRead(true).segment(segment)
                .totalSegments(SCAN_SEGMENTS).exclusiveStartKey(from)
                .filterExpression("NOT #counted = :layout").expressionAttributeNames(Map.of("#counted", COUNTED))
                .expressionAttributeValues(Map.of(":layout", n(OtpTableSchema.LAYOUT))))), page -> {
            for (Map<String, AttributeValue> item : page.items()) {
                rows.add(new Row(new CodeLines.Line(DynamoDbOtpCodeRepository.toOtpCode(item),
                        Long.parseLong(item.get(EXPIRES_AT).n())), versionOf(item)));
            }
        });
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
     * Writes rows of one lines item in one transaction, or one by one if any changed meanwhile.
     *
     * @return whether every row was written
     */
    private boolean writeLinesBucket(List<Row> rows, Totals totals) {
        try {
            transact(rows, CodeLines.Ttl.RAISE, totals);
            return true;
        } catch (TransactionCanceledException e) {
            if (CodeTransactions.linesTtlIsLater(e, 0)) {
                try {
                    transact(rows, CodeLines.Ttl.KEEP, totals);
                    return true;
                } catch (TransactionCanceledException again) {
                    // a code changed meanwhile: one by one below
                }
            }
            if (rows.size() == 1) {
                return false; // changed meanwhile (or in another transaction's way): the next pass reads it again
            }
            boolean all = true;
            for (Row row : rows) {
                all &= writeLinesBucket(List.of(row), totals);
            }
            return all;
        }
    }

    /** The lines item first (a refusal for its TTL is reason 0), then the codes, then the counts, if any. */
    private void transact(List<Row> rows, CodeLines.Ttl ttl, Totals totals) {
        Map<String, Long> fine = new HashMap<>();
        Map<String, Long> coarse = new HashMap<>();
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(lines.write(rows.stream().map(Row::line).toList(), ttl));
        for (Row row : rows) {
            long id = row.id();
            long expiresAt = row.line().expiresAt();
            Expression expression = new Expression();
            String update = "SET " + expression.name(ID_BUCKET) + " = " + expression.value(n(buckets.fineBucket(id))) + ", "
                    + expression.name(COUNTED) + " = " + expression.value(n(OtpTableSchema.LAYOUT)) + ", "
                    + expression.name(VERSION) + " = " + expression.value(n(CodeTransactions.version(row.read()) + 1));
            String condition = "attribute_exists(" + expression.name(ID) + ") AND NOT " + expression.name(COUNTED) + " = "
                    + expression.value(n(OtpTableSchema.LAYOUT)) + " AND " + CodeTransactions.sameVersion(expression, row.read());
            String day = IdBuckets.createdDay(row.line().code().createdAt());
            fine.merge(IdBuckets.fineExpiry(expiresAt), 1L, Long::sum);
            fine.merge(day, 1L, Long::sum);
            coarse.merge(IdBuckets.coarseExpiry(expiresAt), 1L, Long::sum);
            coarse.merge(day, 1L, Long::sum);
            writes.add(TransactWriteItem.builder().update(u -> u.tableName(otpTable).key(Map.of(ID, n(id)))
                    .updateExpression(update).conditionExpression(condition)
                    .expressionAttributeNames(expression.names()).expressionAttributeValues(expression.values())).build());
        }
        long id0 = rows.get(0).id();
        writes.add(CodeTransactions.summaryAdd(summaryTable, buckets.fineKey(id0), fine));
        writes.add(CodeTransactions.stripeAdd(summaryTable, buckets.coarseKey(id0), coarse));
        totals.transactions.incrementAndGet();
        dynamoDb.transactWriteItems(r -> r.transactItems(writes));
        totals.counted.addAndGet(rows.size());
    }
}
