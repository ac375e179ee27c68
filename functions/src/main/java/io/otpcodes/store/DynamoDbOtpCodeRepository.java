package io.otpcodes.store;

import static io.otpcodes.store.OtpTableSchema.CODE;
import static io.otpcodes.store.OtpTableSchema.COUNTED;
import static io.otpcodes.store.OtpTableSchema.CREATED_AT;
import static io.otpcodes.store.OtpTableSchema.EMAIL;
import static io.otpcodes.store.OtpTableSchema.EMAIL_KEY;
import static io.otpcodes.store.OtpTableSchema.EXPIRES_AT;
import static io.otpcodes.store.OtpTableSchema.ID;
import static io.otpcodes.store.OtpTableSchema.ID_BUCKET;
import static io.otpcodes.store.OtpTableSchema.MOBILE_NUMBER;
import static io.otpcodes.store.OtpTableSchema.UPDATED_AT;
import static io.otpcodes.store.OtpTableSchema.VALID_TO;
import static io.otpcodes.store.OtpTableSchema.VERSION;

import io.otpcodes.config.Settings;
import io.otpcodes.domain.ListQuery;
import io.otpcodes.domain.Ordering;
import io.otpcodes.domain.OtpCode;
import io.otpcodes.domain.OtpCodeInput;
import io.otpcodes.domain.OtpCodeRepository;
import io.otpcodes.domain.RecipientRequirement;
import io.otpcodes.domain.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/** OTP codes in DynamoDB, through the low-level client: no reflection-built schema at start-up. */
public final class DynamoDbOtpCodeRepository implements OtpCodeRepository {

    /**
     * Attempts of a transaction that DynamoDB cancelled for a conflict with another on the same
     * summary, or that another write to the same code came before.
     */
    static final int TRANSACTION_ATTEMPTS = 16;

    private final DynamoDbClient dynamoDb;
    private final String otpTable;
    private final String counterTable;
    private final String summaryTable;
    private final Duration retention;
    private final IdBuckets buckets;
    private final FilteredListReader filteredLists;
    private final IdOrderedListReader idOrderedLists;
    private final CodeLines lines;
    private final LinesListReader linesLists;
    private final IdAllocator ids;

    public DynamoDbOtpCodeRepository(DynamoDbClient dynamoDb, Settings settings) {
        this(dynamoDb, settings.otpTableName(), settings.counterTableName(), settings.summaryTableName(),
                settings.retention(), IdBuckets.DEFAULT,
                new IdAllocator(dynamoDb, settings.counterTableName(), IdBuckets.DEFAULT.lines(), settings.idBlockSize()));
    }

    /** Ids drawn one at a time: consecutive, as tests expect. */
    public DynamoDbOtpCodeRepository(DynamoDbClient dynamoDb, String otpTable, String counterTable, String summaryTable,
            Duration retention, IdBuckets buckets) {
        this(dynamoDb, otpTable, counterTable, summaryTable, retention, buckets,
                new IdAllocator(dynamoDb, counterTable, buckets.lines(), 1));
    }

    DynamoDbOtpCodeRepository(DynamoDbClient dynamoDb, String otpTable, String counterTable, String summaryTable,
            Duration retention, IdBuckets buckets, IdAllocator ids) {
        this.ids = ids;
        this.dynamoDb = dynamoDb;
        this.otpTable = otpTable;
        this.counterTable = counterTable;
        this.summaryTable = summaryTable;
        this.retention = retention;
        this.buckets = buckets;
        this.filteredLists = new FilteredListReader(dynamoDb, otpTable);
        this.idOrderedLists = new IdOrderedListReader(dynamoDb, otpTable, summaryTable, buckets);
        this.lines = new CodeLines(summaryTable, buckets);
        this.linesLists = new LinesListReader(dynamoDb, summaryTable, buckets);
    }

    @Override
    public long nextId() {
        return ids.nextId();
    }

    /**
     * The code, its counts in the summaries and its line, in one transaction: a list never counts
     * a code that is not stored, nor misses one that is. When the SDK retries a transaction whose
     * first attempt did succeed (the answer was lost: a 500 or a timeout after the write), the
     * retry finds its own item: that is success, not a conflict, so the client gets its 201 and
     * the code is counted once.
     */
    @Override
    public void insert(OtpCode code) {
        Map<String, AttributeValue> item = toItem(code);
        long expiresAt = expiresAt(code.validTo());
        String day = IdBuckets.createdDay(code.createdAt());
        CodeLines.Ttl ttl = CodeLines.Ttl.RAISE;
        for (int attempt = 1; ; attempt++) {
            List<TransactWriteItem> writes = new ArrayList<>();
            writes.add(TransactWriteItem.builder().put(p -> p.tableName(otpTable).item(item)
                    .conditionExpression("attribute_not_exists(#id)")
                    .expressionAttributeNames(Map.of("#id", ID))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).build());
            writes.add(summaryAdd(summaryTable, buckets.fineKey(code.id()), Map.of(IdBuckets.fineExpiry(expiresAt), 1L, day, 1L)));
            writes.add(summaryAdd(summaryTable, buckets.coarseKey(code.id()), Map.of(IdBuckets.coarseExpiry(expiresAt), 1L, day, 1L)));
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
    private static void retryOnConflict(TransactionCanceledException e, int attempt) {
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
    private static void backOff(TransactionCanceledException e, int attempt) {
        if (attempt >= TRANSACTION_ATTEMPTS) {
            throw e;
        }
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
        List<String> adds = new ArrayList<>();
        counts.forEach((attribute, n) -> adds.add(expression.name(attribute) + " " + expression.value(n(n))));
        return TransactWriteItem.builder().update(u -> u.tableName(summaryTable).key(key)
                .updateExpression("ADD " + String.join(", ", adds))
                .expressionAttributeNames(expression.names())
                .expressionAttributeValues(expression.values())).build();
    }

    /**
     * Each request this store makes for {@code use}, changing nothing: reads of keys no code has
     * (ids start at 1), and writes whose conditions can never hold, so DynamoDB refuses them
     * before writing. Only the requests of that use: the function's role allows no others.
     */
    @Override
    public void warmUp(Use use) {
        switch (use) {
            case READ -> {
                dynamoDb.scan(r -> r.tableName(otpTable).limit(1).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
                dynamoDb.query(r -> r.tableName(otpTable).indexName(OtpTableSchema.MOBILE_NUMBER_INDEX).limit(1)
                        .keyConditionExpression("#m = :m").expressionAttributeNames(Map.of("#m", MOBILE_NUMBER))
                        .expressionAttributeValues(Map.of(":m", s("0"))).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
                dynamoDb.getItem(r -> r.tableName(otpTable).key(Map.of(ID, n(0))).consistentRead(true));
                dynamoDb.query(r -> r.tableName(summaryTable).limit(1).consistentRead(true)
                        .keyConditionExpression("#part = :part")
                        .expressionAttributeNames(Map.of("#part", SummaryTableSchema.PART))
                        .expressionAttributeValues(Map.of(":part", s("none")))
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
                // the one-pass lines, at most one item of them (ids start at 1); never the Scan a
                // table not backfilled yet would fall back to
                linesLists.read(ListQuery.parse(Map.of("id_max", "0", "search", "x", "ordering", "ttl"), 1), Instant.now());
            }
            case CREATE -> {
                OtpCode nothing = new OtpCode(0, 0, "00000000000", null, Instant.EPOCH, Instant.EPOCH, Instant.EPOCH);
                refusedTransaction(TransactWriteItem.builder().put(p -> p.tableName(otpTable).item(toItem(nothing))
                        .conditionExpression("attribute_exists(#id) AND attribute_not_exists(#id)")
                        .expressionAttributeNames(Map.of("#id", ID))).build());
                try {
                    dynamoDb.updateItem(r -> r.tableName(counterTable)
                            .key(Map.of(CounterTableSchema.NAME, s(CounterTableSchema.OTP_CODE_ID)))
                            .updateExpression("ADD #value :zero")
                            .conditionExpression("attribute_exists(#value) AND attribute_not_exists(#value)")
                            .expressionAttributeNames(Map.of("#value", CounterTableSchema.VALUE))
                            .expressionAttributeValues(Map.of(":zero", n(0)))
                            .returnValues(ReturnValue.UPDATED_NEW));
                } catch (ConditionalCheckFailedException expected) {
                    // nothing was written, as intended
                }
            }
            case UPDATE -> {
                dynamoDb.getItem(r -> r.tableName(otpTable).key(Map.of(ID, n(0))).consistentRead(true));
                refusedTransaction(TransactWriteItem.builder().update(u -> u.tableName(otpTable).key(Map.of(ID, n(0)))
                        .updateExpression("SET #code = :zero")
                        .conditionExpression("attribute_exists(#id) AND attribute_not_exists(#id)")
                        .expressionAttributeNames(Map.of("#id", ID, "#code", CODE))
                        .expressionAttributeValues(Map.of(":zero", n(0)))).build());
            }
            default -> throw new IllegalArgumentException(String.valueOf(use));
        }
    }

    private void refusedTransaction(TransactWriteItem write) {
        try {
            dynamoDb.transactWriteItems(r -> r.transactItems(write));
        } catch (TransactionCanceledException expected) {
            // nothing was written, as intended
        }
    }

    /** The stored form of a code: null recipients left out, so the indexes on them stay sparse. */
    Map<String, AttributeValue> toItem(OtpCode code) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(ID, n(code.id()));
        item.put(ID_BUCKET, n(buckets.fineBucket(code.id())));
        item.put(CODE, n(code.code()));
        if (code.mobileNumber() != null) {
            item.put(MOBILE_NUMBER, s(code.mobileNumber()));
        }
        if (code.email() != null) {
            item.put(EMAIL, s(code.email()));
            item.put(EMAIL_KEY, s(emailKey(code.email())));
        }
        item.put(VALID_TO, time(code.validTo()));
        item.put(CREATED_AT, time(code.createdAt()));
        item.put(UPDATED_AT, time(code.updatedAt()));
        item.put(EXPIRES_AT, n(expiresAt(code.validTo())));
        item.put(VERSION, n(1));
        item.put(COUNTED, n(OtpTableSchema.LAYOUT));
        return item;
    }

    @Override
    public Optional<OtpCode> find(long id, Instant now) {
        Map<String, AttributeValue> item = dynamoDb.getItem(r -> r
                .tableName(otpTable)
                .key(Map.of(ID, n(id)))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() || isExpired(item, now) ? Optional.empty() : Optional.of(toOtpCode(item));
    }

    @Override
    public Listing list(ListQuery query, Instant now) {
        ListPlan plan = ListPlan.of(query);
        if (plan.operation() == ListPlan.Operation.ID_ORDER) {
            boolean descending = query.ordering().idOrder() == Ordering.IdOrder.DESCENDING;
            Optional<Listing> listing = idOrderedLists.read(query, descending, now);
            if (listing.isPresent()) {
                return listing.get();
            }
            // an older table whose codes are not all counted yet: correct, at the cost of a Scan
            plan = new ListPlan(ListPlan.Operation.SCAN, null, null, null);
        } else if (plan.operation() == ListPlan.Operation.SCAN) {
            Optional<Listing> listing = linesLists.read(query, now);
            if (listing.isPresent()) {
                return listing.get();
            }
        }
        return filteredLists.read(query, plan, now);
    }

    /**
     * One transaction, made on the code as last read (its updated_at and TTL in the condition)
     * and tried again if another write came first: the code must exist, be within its retention
     * and meet the recipient requirement; its line changes with it, and a new valid_to moves it
     * between the summaries' expiry counts.
     */
    @Override
    public UpdateResult update(long id, OtpCodeInput input, RecipientRequirement requirement, Instant now) {
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
            long newExpiresAt = input.validTo() == null ? oldExpiresAt : expiresAt(input.validTo());
            // a code not counted yet (written by an older version) is counted, and its line written, by the backfill
            if (counted(old)) {
                CodeLines.Ttl ttl = newExpiresAt > oldExpiresAt && !linesTtlIsLater ? CodeLines.Ttl.RAISE : CodeLines.Ttl.KEEP;
                writes.add(lines.write(List.of(new CodeLines.Line(updated, newExpiresAt)), ttl));
                moveExpiry(writes, id, oldExpiresAt, newExpiresAt);
            }
            try {
                dynamoDb.transactWriteItems(r -> r.transactItems(writes));
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
            writes.add(summaryAdd(summaryTable, buckets.coarseKey(id), Map.of(oldHour, -1L, newHour, 1L)));
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
            set.add(expression.name(EXPIRES_AT) + " = " + expression.value(n(expiresAt(input.validTo()))));
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

    /** The TTL attribute: whole seconds, rounded up, so an item is never swept before its time. */
    long expiresAt(Instant validTo) {
        Instant end = validTo.plus(retention);
        return end.getEpochSecond() + (end.getNano() > 0 ? 1 : 0);
    }

    /** DynamoDB deletes expired items late; an item past its TTL is treated as gone. */
    static boolean isExpired(Map<String, AttributeValue> item, Instant now) {
        AttributeValue expiresAt = item.get(EXPIRES_AT);
        return expiresAt != null && Long.parseLong(expiresAt.n()) <= now.getEpochSecond();
    }

    static String emailKey(String email) {
        return email.toLowerCase(Locale.ROOT);
    }

    static OtpCode toOtpCode(Map<String, AttributeValue> item) {
        return new OtpCode(
                Long.parseLong(item.get(ID).n()),
                Integer.parseInt(item.get(CODE).n()),
                string(item.get(MOBILE_NUMBER)),
                string(item.get(EMAIL)),
                instant(item.get(VALID_TO)),
                instant(item.get(CREATED_AT)),
                instant(item.get(UPDATED_AT)));
    }

    private static String string(AttributeValue value) {
        return value == null ? null : value.s();
    }

    private static Instant instant(AttributeValue value) {
        return Timestamps.fromEpochMicros(Long.parseLong(value.n()));
    }

    static AttributeValue time(Instant instant) {
        return n(Timestamps.toEpochMicros(instant));
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }
}
