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
 * that ids follow creation order exactly. Its first create (a cold start: in a login storm, many
 * containers start in the same second) takes a block, as a busy one does. While it is busy it takes blocks of whole quanta
 * ({@link IdBuckets#lines()} ids, ending on a quantum's last id), as a PostgreSQL sequence with
 * CACHE does: the counter item then sees one write per block instead of one per create, and the
 * summary items of a quantum (its lines item and fine summary) are written by this container
 * alone, so concurrent creates of other containers never meet them. The block doubles while
 * the container uses one up within {@code busyNanos}, up to {@code maxBlock}; what is left of a
 * block when the container goes quiet, or older than {@code lifetimeNanos}, is dropped (a gap,
 * as a failed create leaves), so a quiet moment never hands out an old id.
 */
final class IdAllocator {

    /** Attempts of a block's compare-and-set on the counter before it falls back to a single id. */
    static final int BLOCK_ATTEMPTS = 8;

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
    /** The counter's value as this container last saw it: the guess of the next compare-and-set. */
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
        // a container's first create: a cold start, which in a storm many containers make at once
        boolean busy = !drawnBefore || now - lastDrawnAt < busyNanos;
        drawnBefore = true;
        lastDrawnAt = now;
        if (busy && next <= last && now - blockTakenAt < lifetimeNanos) {
            return next++;
        }
        if (!busy || maxBlock < quantum) {
            last = next - 1; // drop what is left of a block
            blockSize = 0;
            return single();
        }
        boolean usedUpQuickly = next > last && blockSize > 0 && now - blockTakenAt < busyNanos;
        blockSize = blockSize == 0 ? quantum : usedUpQuickly ? Math.min(2 * blockSize, maxBlock / quantum * quantum) : blockSize;
        if (!takeBlock(now)) {
            return single();
        }
        return next++;
    }

    /** One id: ADD 1, whatever the counter holds. */
    private long single() {
        long id = Long.parseLong(dynamoDb.updateItem(r -> r.tableName(counterTable).key(counterKey())
                .updateExpression("ADD #value :one")
                .expressionAttributeNames(Map.of("#value", CounterTableSchema.VALUE))
                .expressionAttributeValues(Map.of(":one", n(1)))
                .returnValues(ReturnValue.UPDATED_NEW)).attributes().get(CounterTableSchema.VALUE).n());
        counterSeen = id;
        return id;
    }

    /**
     * Moves the counter from the value it holds to the end of a quantum at least {@code blockSize}
     * ids further, by compare-and-set: a refused guess returns the value it met, the next guess.
     */
    private boolean takeBlock(long now) {
        for (int attempt = 0; attempt < BLOCK_ATTEMPTS; attempt++) {
            long from = counterSeen;
            long end = (Math.floorDiv(from + blockSize, quantum) + 1) * quantum - 1;
            String condition = from == 0 ? "attribute_not_exists(#value) OR #value = :from" : "#value = :from";
            try {
                dynamoDb.updateItem(r -> r.tableName(counterTable).key(counterKey())
                        .updateExpression("SET #value = :end").conditionExpression(condition)
                        .expressionAttributeNames(Map.of("#value", CounterTableSchema.VALUE))
                        .expressionAttributeValues(Map.of(":from", n(from), ":end", n(end)))
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
                next = from + 1;
                last = end;
                blockTakenAt = now;
                counterSeen = end;
                return true;
            } catch (ConditionalCheckFailedException moved) {
                Map<String, AttributeValue> current = moved.item();
                AttributeValue value = current == null ? null : current.get(CounterTableSchema.VALUE);
                counterSeen = value == null ? 0 : Long.parseLong(value.n());
            }
        }
        return false;
    }

    private static Map<String, AttributeValue> counterKey() {
        return Map.of(CounterTableSchema.NAME, s(CounterTableSchema.OTP_CODE_ID));
    }
}
