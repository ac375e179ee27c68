package io.otpcodes.store;

import static io.otpcodes.store.DynamoDbOtpCodeRepository.n;
import static io.otpcodes.store.DynamoDbOtpCodeRepository.s;

import java.util.Map;
import java.util.function.LongSupplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * The ids of one function container (one JVM), from the counter item. While the container is
 * quiet (its last id was drawn more than {@code busyNanos} ago) it draws ids one at a time, so
 * that ids follow creation order exactly. While it is busy, and at its first create (a cold
 * start: in a login storm many containers start in the same second), it takes a block of ids
 * with one ADD, as a PostgreSQL sequence with CACHE does: the counter item sees one write per
 * block instead of one per create.
 *
 * <p>A block is at least {@code blockSize} ids, taken so that it ends on a quantum's last id
 * (quanta: {@link IdBuckets#lines()} ids, one lines item and one fine summary each). The
 * container skips the block's first ids when they share a quantum with ids before the block, so
 * every quantum it writes is its own: concurrent creates of other containers never meet its
 * lines item or fine summary. The block doubles while the container uses one up within
 * {@code busyNanos}, up to {@code maxBlock}; what is left of a block when the container goes
 * quiet, or older than {@code lifetimeNanos}, is dropped. Skipped and dropped ids are gaps, as a
 * failed create leaves.
 */
final class IdAllocator {

    /** Compare-and-set tries of a block before a plain ADD: two, so a refused guess is retried once with the value met. */
    static final int BLOCK_ATTEMPTS = 2;
    private static final Map<String, AttributeValue> COUNTER_KEY = Map.of(CounterTableSchema.NAME, s(CounterTableSchema.OTP_CODE_ID));

    private final DynamoDbClient dynamoDb;
    private final String counterTable;
    private final int quantum;
    private final int maxBlock;
    private final long busyNanos;
    private final long lifetimeNanos;
    private final LongSupplier clock;

    private long next = 1;
    private long last;
    private long blockTakenAt;
    private long lastDrawnAt;
    private boolean drawnBefore;
    private int blockSize;
    /** The counter's value as this container last saw it: the guess of its next compare-and-set. */
    private long counterSeen;

    IdAllocator(DynamoDbClient dynamoDb, String counterTable, int quantum, int maxBlock, long busyNanos, long lifetimeNanos,
            LongSupplier clock) {
        this.dynamoDb = dynamoDb;
        this.counterTable = counterTable;
        this.quantum = quantum;
        this.maxBlock = maxBlock;
        this.busyNanos = busyNanos;
        this.lifetimeNanos = lifetimeNanos;
        this.clock = clock;
    }

    /** With the production timing: busy below a second between ids, a block used for at most five seconds. */
    IdAllocator(DynamoDbClient dynamoDb, String counterTable, int quantum, int maxBlock) {
        this(dynamoDb, counterTable, quantum, maxBlock, 1_000_000_000L, 5_000_000_000L, System::nanoTime);
    }

    synchronized long nextId() {
        long now = clock.getAsLong();
        boolean busy = !drawnBefore || now - lastDrawnAt < busyNanos;
        drawnBefore = true;
        lastDrawnAt = now;
        if (busy && next <= last && now - blockTakenAt < lifetimeNanos) {
            return next++;
        }
        if (!busy || maxBlock < quantum) {
            last = next - 1; // drop what is left of a block
            blockSize = 0;
            return add(1);
        }
        boolean usedUpQuickly = next > last && blockSize > 0 && now - blockTakenAt < busyNanos;
        blockSize = blockSize == 0 ? quantum : usedUpQuickly ? Math.min(2 * blockSize, maxBlock / quantum * quantum) : blockSize;
        long previousLast = last;
        long first = takeBlock();
        // the ids before the block are someone else's (unless they end this container's last block): never share their quantum
        boolean sharesAQuantum = first > 1 && first - 1 != previousLast
                && Math.floorDiv(first - 1, quantum) == Math.floorDiv(first, quantum);
        next = sharesAQuantum ? (Math.floorDiv(first, quantum) + 1) * quantum : first;
        blockTakenAt = now;
        return next++;
    }

    /**
     * Takes a block of at least {@code blockSize} ids and sets {@link #last}; its first id. The
     * block ends on a quantum's last id, by compare-and-set from the counter's value as last seen
     * (a refusal returns the value it met, for one more try), so that every block after it starts
     * on a quantum; when others keep moving the counter (a cold start of many containers at once),
     * a plain ADD of {@code blockSize} instead, which keeps the counter on quantum ends if it was.
     */
    private long takeBlock() {
        for (int attempt = 0; attempt < BLOCK_ATTEMPTS; attempt++) {
            long from = counterSeen;
            long end = (Math.floorDiv(from + blockSize, quantum) + 1) * quantum - 1;
            try {
                dynamoDb.updateItem(r -> r.tableName(counterTable).key(COUNTER_KEY)
                        .updateExpression("SET #value = :end")
                        .conditionExpression(from == 0 ? "attribute_not_exists(#value) OR #value = :from" : "#value = :from")
                        .expressionAttributeNames(Map.of("#value", CounterTableSchema.VALUE))
                        .expressionAttributeValues(Map.of(":from", n(from), ":end", n(end)))
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
                last = end;
                counterSeen = end;
                return from + 1;
            } catch (ConditionalCheckFailedException moved) {
                AttributeValue value = moved.item() == null ? null : moved.item().get(CounterTableSchema.VALUE);
                counterSeen = value == null ? 0 : Long.parseLong(value.n());
            }
        }
        last = add(blockSize);
        return last - blockSize + 1;
    }

    /** Moves the counter on by {@code n}; its new value, the last id of the {@code n} taken. */
    private long add(long n) {
        long value = Long.parseLong(dynamoDb.updateItem(r -> r.tableName(counterTable).key(COUNTER_KEY)
                .updateExpression("ADD #value :n")
                .expressionAttributeNames(Map.of("#value", CounterTableSchema.VALUE))
                .expressionAttributeValues(Map.of(":n", n(n)))
                .returnValues(ReturnValue.UPDATED_NEW)).attributes().get(CounterTableSchema.VALUE).n());
        counterSeen = value;
        return value;
    }
}
