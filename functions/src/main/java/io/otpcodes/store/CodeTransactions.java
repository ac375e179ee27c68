package io.otpcodes.store;

import static io.otpcodes.store.DynamoDbOtpCodeRepository.emailKey;
import static io.otpcodes.store.DynamoDbOtpCodeRepository.isExpired;
import static io.otpcodes.store.DynamoDbOtpCodeRepository.n;
import static io.otpcodes.store.DynamoDbOtpCodeRepository.s;
import static io.otpcodes.store.DynamoDbOtpCodeRepository.time;
import static io.otpcodes.store.DynamoDbOtpCodeRepository.toOtpCode;
import static io.otpcodes.store.OtpTableSchema.CODE;
import static io.otpcodes.store.OtpTableSchema.COUNTED;
import static io.otpcodes.store.OtpTableSchema.EMAIL;
import static io.otpcodes.store.OtpTableSchema.EMAIL_KEY;
import static io.otpcodes.store.OtpTableSchema.EXPIRES_AT;
import static io.otpcodes.store.OtpTableSchema.ID;
import static io.otpcodes.store.OtpTableSchema.MOBILE_NUMBER;
import static io.otpcodes.store.OtpTableSchema.UPDATED_AT;
import static io.otpcodes.store.OtpTableSchema.VALID_TO;
import static io.otpcodes.store.OtpTableSchema.VERSION;

import io.otpcodes.domain.OtpCode;
import io.otpcodes.domain.OtpCodeInput;
import io.otpcodes.domain.OtpCodeRepository.UpdateResult;
import io.otpcodes.domain.RecipientRequirement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * What one create and one update write, each in one transaction, and how they are retried.
 *
 * <p>A create writes four items: the code (only if its id is new), the fine summary of its
 * quantum and its coarse summary stripe (its expiry minute/hour and creation day counted), and
 * its line in its quantum's lines item ({@link IdBuckets} says which items; none is shared with
 * the creates of other containers). An update reads the code, then writes it on condition that
 * it is still the version read, with its line, and moves its counts when its expiry moves.
 */
final class CodeTransactions {

    /**
     * Attempts of a transaction that DynamoDB cancelled for a conflict with another on the same
     * summary, or that another write to the same code came before.
     */
    static final int TRANSACTION_ATTEMPTS = 16;

    private final DynamoDbClient dynamoDb;
    private final String otpTable;
    private final String summaryTable;
    private final Duration retention;
    private final IdBuckets buckets;
    private final CodeLines lines;

    CodeTransactions(DynamoDbClient dynamoDb, String otpTable, String summaryTable, Duration retention, IdBuckets buckets) {
        this.dynamoDb = dynamoDb;
        this.otpTable = otpTable;
        this.summaryTable = summaryTable;
        this.retention = retention;
        this.buckets = buckets;
        this.lines = new CodeLines(summaryTable, buckets);
    }

    /**
     * The code, its counts in the summaries and its line, in one transaction: a list never counts
     * a code that is not stored, nor misses one that is. When the SDK retries a transaction whose
     * first attempt did succeed (the answer was lost: a 500 or a timeout after the write), the
     * retry finds its own item: that is success, not a conflict, so the client gets its 201 and
     * the code is counted once.
     */
    void insert(OtpCode code, Map<String, AttributeValue> item) {
        long expiresAt = expiresAt(code.validTo(), code.updatedAt());
        String day = IdBuckets.createdDay(code.createdAt());
        CodeLines.Ttl ttl = CodeLines.Ttl.RAISE;
        for (int attempt = 1; ; attempt++) {
            List<TransactWriteItem> writes = new ArrayList<>();
            writes.add(TransactWriteItem.builder().put(p -> p.tableName(otpTable).item(item)
                    .conditionExpression("attribute_not_exists(#id)")
                    .expressionAttributeNames(Map.of("#id", ID))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).build());
            writes.add(summaryAdd(summaryTable, buckets.fineKey(code.id()), Map.of(IdBuckets.fineExpiry(expiresAt), 1L, day, 1L)));
            writes.add(stripeAdd(summaryTable, buckets.coarseKey(code.id()), Map.of(IdBuckets.coarseExpiry(expiresAt), 1L, day, 1L)));
            writes.add(lines.write(List.of(new CodeLines.Line(code, expiresAt)), ttl));
            if (code.id() == 1) {
                // the table's first code: no older code exists that the summaries could miss
                writes.add(TransactWriteItem.builder().put(p -> p.tableName(summaryTable)
                        .item(readyMarker())).build());
            }
            try {
                dynamoDb.transactWriteItems(r -> r.transactItems(writes));
                return;
            } catch (TransactionCanceledException e) {
                CancellationReason put = e.cancellationReasons().get(0);
                if (CONDITION_FAILED.equals(put.code()) && item.equals(put.item())) {
                    return;
                }
                if (ttl == CodeLines.Ttl.RAISE && linesTtlIsLater(e, LINES_WRITE_OF_INSERT)) {
                    ttl = CodeLines.Ttl.KEEP;
                    continue;
                }
                retryOnConflict(e, attempt);
            }
        }
    }

    /** Where the lines write is among a create's writes. */
    private static final int LINES_WRITE_OF_INSERT = 3;

    /** Whether a transaction was refused only because its lines item's TTL is already later than the code's. */
    static boolean linesTtlIsLater(TransactionCanceledException e, int linesWrite) {
        List<CancellationReason> reasons = e.cancellationReasons();
        return reasons.size() > linesWrite && CONDITION_FAILED.equals(reasons.get(linesWrite).code());
    }

    static Map<String, AttributeValue> readyMarker() {
        Map<String, AttributeValue> marker = new HashMap<>(IdBuckets.readyMarkerKey());
        marker.put(SummaryTableSchema.LAYOUT, n(OtpTableSchema.LAYOUT));
        return marker;
    }

    static final String CONDITION_FAILED = "ConditionalCheckFailed";
    private static final Set<String> RETRYABLE_REASONS = Set.of("TransactionConflict", "ThrottlingError",
            "ProvisionedThroughputExceeded");

    /** Returns to try again when another transaction on the same summary was in the way; else rethrows. */
    static void retryOnConflict(TransactionCanceledException e, int attempt) {
        // another transaction held an item, or an item's partition key was over its write units
        boolean conflict = e.cancellationReasons().stream().anyMatch(r -> RETRYABLE_REASONS.contains(r.code()));
        if (!conflict) {
            throw e;
        }
        backOff(e, attempt);
    }

    /**
     * Waits a random while, longer after each attempt, so that writers racing for the same item
     * stop meeting; rethrows once the attempts are spent.
     */
    static void backOff(TransactionCanceledException e, int attempt) {
        if (attempt >= TRANSACTION_ATTEMPTS) {
            throw e;
        }
        DynamoDbUsage.retriedTransaction();
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 5L << Math.min(attempt, 6)));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw e;
        }
    }

    /** ADDs each count to a summary item (creating it, and each count, at the first ADD). */
    static TransactWriteItem summaryAdd(String summaryTable, Map<String, AttributeValue> key, Map<String, Long> counts) {
        Expression expression = new Expression();
        String adds = adds(expression, counts);
        return update(summaryTable, key, "ADD " + adds, expression);
    }

    /**
     * ADDs each count to a coarse summary stripe, and 1 to its version; the first write of the
     * item gives it a random life number. A fold deletes the stripe on condition that its life
     * and version are those it read, and a list can tell a stripe state that was folded by them
     * ({@link StripeFolder}).
     */
    static TransactWriteItem stripeAdd(String summaryTable, Map<String, AttributeValue> key, Map<String, Long> counts) {
        Expression expression = new Expression();
        String adds = adds(expression, counts) + ", " + expression.name(SummaryTableSchema.STRIPE_VERSION) + " "
                + expression.value(n(1));
        String life = expression.name(SummaryTableSchema.STRIPE_LIFE);
        String set = life + " = if_not_exists(" + life + ", " + expression.value(n(ThreadLocalRandom.current().nextLong())) + ")";
        return update(summaryTable, key, "ADD " + adds + " SET " + set, expression);
    }

    private static String adds(Expression expression, Map<String, Long> counts) {
        List<String> adds = new ArrayList<>();
        counts.forEach((attribute, n) -> adds.add(expression.name(attribute) + " " + expression.value(n(n))));
        return String.join(", ", adds);
    }

    private static TransactWriteItem update(String summaryTable, Map<String, AttributeValue> key, String update,
            Expression expression) {
        return TransactWriteItem.builder().update(u -> u.tableName(summaryTable).key(key)
                .updateExpression(update)
                .expressionAttributeNames(expression.names())
                .expressionAttributeValues(expression.values())).build();
    }

    /**
     * One transaction, made on the code as last read (its version in the condition)
     * and tried again if another write came first: the code must exist, be within its retention
     * and meet the recipient requirement; its line changes with it, and a new valid_to moves it
     * between the summaries' expiry counts.
     */
    UpdateResult update(long id, OtpCodeInput input, RecipientRequirement requirement, Instant now) {
        boolean linesTtlIsLater = false;
        for (int attempt = 1; ; attempt++) {
            Map<String, AttributeValue> old = dynamoDb.getItem(r -> r.tableName(otpTable).key(Map.of(ID, n(id)))
                    .consistentRead(true)).item();
            if (old == null || old.isEmpty() || isExpired(old, now)) {
                return UpdateResult.failed(UpdateResult.Status.NOT_FOUND);
            }
            Expression expression = new Expression();
            String update = updateExpression(expression, input, version(old) + 1, now);
            String condition = condition(expression, requirement, now) + " AND " + sameVersion(expression, old)
                    + " AND " + (counted(old) ? "" : "NOT ") + expression.name(COUNTED) + " = " + expression.value(n(OtpTableSchema.LAYOUT));
            List<TransactWriteItem> writes = new ArrayList<>();
            writes.add(TransactWriteItem.builder().update(u -> u.tableName(otpTable).key(Map.of(ID, n(id)))
                    .updateExpression(update).conditionExpression(condition)
                    .expressionAttributeNames(expression.names()).expressionAttributeValues(expression.values())
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).build());
            OtpCode updated = applied(toOtpCode(old), input, now);
            long oldExpiresAt = Long.parseLong(old.get(EXPIRES_AT).n());
            long newExpiresAt = input.validTo() == null ? oldExpiresAt : expiresAt(input.validTo(), now);
            // a code not counted yet (written by an older version) is counted, and its line written, by the backfill
            if (counted(old)) {
                CodeLines.Ttl ttl = newExpiresAt > oldExpiresAt && !linesTtlIsLater ? CodeLines.Ttl.RAISE : CodeLines.Ttl.KEEP;
                writes.add(lines.write(List.of(new CodeLines.Line(updated, newExpiresAt)), ttl));
                moveExpiry(writes, id, oldExpiresAt, newExpiresAt);
            }
            try {
                dynamoDb.transactWriteItems(r -> r.transactItems(writes));
                if (counted(old) && !IdBuckets.fineExpiry(oldExpiresAt).equals(IdBuckets.fineExpiry(newExpiresAt))) {
                    removeIfZero(buckets.fineKey(id), IdBuckets.fineExpiry(oldExpiresAt));
                }
                return UpdateResult.updated(updated);
            } catch (TransactionCanceledException e) {
                CancellationReason reason = e.cancellationReasons().get(0);
                if (CONDITION_FAILED.equals(reason.code())) {
                    Map<String, AttributeValue> current = reason.item();
                    if (current == null || current.isEmpty() || isExpired(current, now)) {
                        return UpdateResult.failed(UpdateResult.Status.NOT_FOUND);
                    }
                    if (sameVersion(old, current)) {
                        return UpdateResult.failed(UpdateResult.Status.RECIPIENT_RULE_BROKEN);
                    }
                    backOff(e, attempt);
                    continue; // another write came first: read it and try again
                }
                if (!linesTtlIsLater && linesTtlIsLater(e, 1)) {
                    linesTtlIsLater = true;
                    continue;
                }
                retryOnConflict(e, attempt);
            }
        }
    }

    /** Whether the code read is still the one stored: what {@link #sameVersion(Expression, Map)} checks. */
    private static boolean sameVersion(Map<String, AttributeValue> old, Map<String, AttributeValue> current) {
        boolean unchanged = old.containsKey(VERSION) ? old.get(VERSION).equals(current.get(VERSION))
                : !current.containsKey(VERSION) && old.get(UPDATED_AT).equals(current.get(UPDATED_AT))
                        && old.get(EXPIRES_AT).equals(current.get(EXPIRES_AT));
        return unchanged && counted(old) == counted(current);
    }

    /** Whether the summaries of this layout count the code (so its writes must move its counts and line). */
    static boolean counted(Map<String, AttributeValue> item) {
        AttributeValue counted = item.get(COUNTED);
        return counted != null && Long.parseLong(counted.n()) == OtpTableSchema.LAYOUT;
    }

    /** A code's version as read; 0 for a code an older version wrote and nothing has written since. */
    static long version(Map<String, AttributeValue> item) {
        AttributeValue version = item.get(VERSION);
        return version == null ? 0 : Long.parseLong(version.n());
    }

    /**
     * The condition that the code is still the version read: the version number, never a
     * timestamp (two writes in the same microsecond would both pass that). A code with no version
     * yet is also matched on its updated_at and TTL, as the versions before this one wrote it.
     */
    static String sameVersion(Expression expression, Map<String, AttributeValue> old) {
        if (old.containsKey(VERSION)) {
            return expression.name(VERSION) + " = " + expression.value(old.get(VERSION));
        }
        return "attribute_not_exists(" + expression.name(VERSION) + ")"
                + " AND " + expression.name(UPDATED_AT) + " = " + expression.value(old.get(UPDATED_AT))
                + " AND " + expression.name(EXPIRES_AT) + " = " + expression.value(old.get(EXPIRES_AT));
    }

    /** The code as the update leaves it: what the transaction's condition guarantees was stored, with the input applied. */
    private static OtpCode applied(OtpCode old, OtpCodeInput input, Instant now) {
        return new OtpCode(old.id(),
                input.code() != null ? input.code() : old.code(),
                input.hasMobileNumber() ? input.mobileNumber() : old.mobileNumber(),
                input.hasEmail() ? input.email() : old.email(),
                input.validTo() != null ? input.validTo() : old.validTo(),
                old.createdAt(), now);
    }

    /**
     * Removes a count the update left at zero from a fine summary, on condition that it still is
     * zero (a create or PATCH that ADDs to it after the removal makes it anew). Else every PATCH
     * of a valid_to would leave a zero behind, and a quantum's summary grow with its PATCHes. The
     * coarse stripes' zeros go when they are folded. Best effort: the PATCH has succeeded, and a
     * zero left costs a few bytes.
     */
    private void removeIfZero(Map<String, AttributeValue> key, String count) {
        Expression expression = new Expression();
        String name = expression.name(count);
        try {
            dynamoDb.updateItem(r -> r.tableName(summaryTable).key(key).updateExpression("REMOVE " + name)
                    .conditionExpression(name + " = " + expression.value(n(0)))
                    .expressionAttributeNames(expression.names()).expressionAttributeValues(expression.values()));
        } catch (ConditionalCheckFailedException notZero) {
            // it still counts a code
        } catch (SdkException busyOrThrottled) {
            // a transaction holds the item, or its key is throttled: the PATCH stands, the zero stays for now
        }
    }

    /** Moves one code's count from its old expiry minute and hour to the new ones. */
    private void moveExpiry(List<TransactWriteItem> writes, long id, long oldExpiresAt, long newExpiresAt) {
        String oldMinute = IdBuckets.fineExpiry(oldExpiresAt);
        String newMinute = IdBuckets.fineExpiry(newExpiresAt);
        if (!oldMinute.equals(newMinute)) {
            writes.add(summaryAdd(summaryTable, buckets.fineKey(id), Map.of(oldMinute, -1L, newMinute, 1L)));
        }
        String oldHour = IdBuckets.coarseExpiry(oldExpiresAt);
        String newHour = IdBuckets.coarseExpiry(newExpiresAt);
        if (!oldHour.equals(newHour)) {
            writes.add(stripeAdd(summaryTable, buckets.coarseKey(id), Map.of(oldHour, -1L, newHour, 1L)));
        }
    }

    private String updateExpression(Expression expression, OtpCodeInput input, long version, Instant now) {
        List<String> set = new ArrayList<>();
        List<String> remove = new ArrayList<>();
        if (input.code() != null) {
            set.add(expression.name(CODE) + " = " + expression.value(n(input.code())));
        }
        if (input.hasMobileNumber()) {
            setOrRemove(expression, set, remove, MOBILE_NUMBER, input.mobileNumber());
        }
        if (input.hasEmail()) {
            setOrRemove(expression, set, remove, EMAIL, input.email());
            setOrRemove(expression, set, remove, EMAIL_KEY, input.email() == null ? null : emailKey(input.email()));
        }
        if (input.validTo() != null) {
            set.add(expression.name(VALID_TO) + " = " + expression.value(time(input.validTo())));
            set.add(expression.name(EXPIRES_AT) + " = " + expression.value(n(expiresAt(input.validTo(), now))));
        }
        set.add(expression.name(UPDATED_AT) + " = " + expression.value(time(now)));
        set.add(expression.name(VERSION) + " = " + expression.value(n(version)));
        return "SET " + String.join(", ", set) + (remove.isEmpty() ? "" : " REMOVE " + String.join(", ", remove));
    }

    private static String condition(Expression expression, RecipientRequirement requirement, Instant now) {
        return "attribute_exists(" + expression.name(ID) + ") AND "
                + expression.name(EXPIRES_AT) + " > " + expression.value(n(now.getEpochSecond()))
                + recipientCondition(expression, requirement);
    }

    private static void setOrRemove(Expression expression, List<String> set, List<String> remove, String attribute,
            String value) {
        if (value == null) {
            remove.add(expression.name(attribute));
        } else {
            set.add(expression.name(attribute) + " = " + expression.value(s(value)));
        }
    }

    private static String recipientCondition(Expression expression, RecipientRequirement requirement) {
        return switch (requirement) {
            case HAS_MOBILE_NUMBER -> " AND attribute_exists(" + expression.name(MOBILE_NUMBER) + ")";
            case NO_MOBILE_NUMBER -> " AND attribute_not_exists(" + expression.name(MOBILE_NUMBER) + ")";
            case HAS_EMAIL -> " AND attribute_exists(" + expression.name(EMAIL) + ")";
            case NO_EMAIL -> " AND attribute_not_exists(" + expression.name(EMAIL) + ")";
            default -> "";
        };
    }

    /**
     * The TTL attribute: whole seconds, rounded up, so an item is never swept before its time; and
     * never more than {@link #TTL_FLOOR} before {@code now}. DynamoDB's TTL ignores items whose
     * time is more than five years past, so a code with a valid_to that old would stay stored,
     * hidden, and scanned for ever; four years before now it is just as hidden, and swept (a
     * year of margin for the sweeper, which runs within days).
     */
    long expiresAt(Instant validTo, Instant now) {
        Instant end = validTo.plus(retention);
        long natural = end.getEpochSecond() + (end.getNano() > 0 ? 1 : 0);
        return Math.max(natural, now.getEpochSecond() - TTL_FLOOR.toSeconds());
    }

    /** How far before now a TTL attribute may be: within the five years DynamoDB's TTL still sweeps. */
    static final Duration TTL_FLOOR = Duration.ofDays(4 * 365);
}
