package io.otpcodes.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The bulk path that the import and the backfill share: many codes of one quantum written in one
 * transaction, with their lines and the counts they add or move in the quantum's fine summary
 * and its coarse stripe. A transaction is all or nothing, so an import or a backfill killed at
 * any point leaves every code either written and counted, or untouched.
 */
final class BulkCodeWriter {

    /**
     * A transaction holds at most 100 writes: the lines item, the codes, and the two summaries.
     */
    static final int MAX_CODES = 97;

    /**
     * One code's write: its line as it will be stored, the line the summaries count for it now
     * (null when they count none: a new code, or one the backfill counts), and the write of its
     * item, conditioned on the state the caller read.
     */
    record Change(CodeLines.Line line, CodeLines.Line counted, TransactWriteItem codeWrite) {
    }

    private final DynamoDbClient dynamoDb;
    private final String summaryTable;
    private final IdBuckets buckets;
    private final CodeLines lines;

    BulkCodeWriter(DynamoDbClient dynamoDb, String summaryTable, IdBuckets buckets) {
        this.dynamoDb = dynamoDb;
        this.summaryTable = summaryTable;
        this.buckets = buckets;
        this.lines = new CodeLines(summaryTable, buckets);
    }

    /**
     * Writes changes of codes of one quantum in one transaction: the lines item first (a
     * refusal for its TTL is reason 0, and is met by keeping the item's later TTL), then the
     * codes, then the counts. A transaction cancelled for a conflict or a throttle is sent again
     * after a random wait.
     *
     * @return the write units DynamoDB reported for it (indexes included)
     * @throws TransactionCanceledException when a code's condition failed: another write came
     *     first, and the caller must read again
     */
    double write(List<Change> changes) {
        if (changes.isEmpty()) {
            return 0;
        }
        if (changes.size() > MAX_CODES) {
            throw new IllegalArgumentException("at most " + MAX_CODES + " codes a transaction, not " + changes.size());
        }
        long quantum = buckets.linesBucket(changes.get(0).line().code().id());
        for (Change change : changes) {
            if (buckets.linesBucket(change.line().code().id()) != quantum) {
                throw new IllegalArgumentException("codes of one quantum only");
            }
        }
        CodeLines.Ttl ttl = CodeLines.Ttl.RAISE;
        for (int attempt = 1; ; attempt++) {
            List<TransactWriteItem> writes = transaction(changes, ttl);
            try {
                return dynamoDb.transactWriteItems(r -> r.transactItems(writes)
                        .returnConsumedCapacity(ReturnConsumedCapacity.INDEXES)).consumedCapacity().stream()
                        .mapToDouble(c -> c.capacityUnits() == null ? 0 : c.capacityUnits()).sum();
            } catch (TransactionCanceledException e) {
                if (ttl == CodeLines.Ttl.RAISE && CodeTransactions.linesTtlIsLater(e, 0)) {
                    ttl = CodeLines.Ttl.KEEP;
                    continue;
                }
                if (e.cancellationReasons().stream().anyMatch(r -> CodeTransactions.CONDITION_FAILED.equals(r.code()))) {
                    throw e;
                }
                CodeTransactions.retryOnConflict(e, attempt);
            }
        }
    }

    private List<TransactWriteItem> transaction(List<Change> changes, CodeLines.Ttl ttl) {
        Map<String, Long> fine = new HashMap<>();
        Map<String, Long> coarse = new HashMap<>();
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(lines.write(changes.stream().map(Change::line).toList(), ttl));
        for (Change change : changes) {
            writes.add(change.codeWrite());
            count(change.line(), 1, fine, coarse);
            if (change.counted() != null) {
                count(change.counted(), -1, fine, coarse);
            }
        }
        fine.values().removeIf(n -> n == 0);
        coarse.values().removeIf(n -> n == 0);
        long id = changes.get(0).line().code().id();
        if (!fine.isEmpty()) {
            writes.add(CodeTransactions.summaryAdd(summaryTable, buckets.fineKey(id), fine));
        }
        if (!coarse.isEmpty()) {
            writes.add(CodeTransactions.stripeAdd(summaryTable, buckets.coarseKey(id), coarse));
        }
        return writes;
    }

    /** A code's counts: its expiry minute (fine) and hour (coarse), and its day of creation in both. */
    private static void count(CodeLines.Line line, long n, Map<String, Long> fine, Map<String, Long> coarse) {
        String day = IdBuckets.createdDay(line.code().createdAt());
        fine.merge(IdBuckets.fineExpiry(line.expiresAt()), n, Long::sum);
        fine.merge(day, n, Long::sum);
        coarse.merge(IdBuckets.coarseExpiry(line.expiresAt()), n, Long::sum);
        coarse.merge(day, n, Long::sum);
    }
}
