package io.otpcodes.store;

import static io.otpcodes.store.OtpTableSchema.CODE;
import static io.otpcodes.store.OtpTableSchema.COUNTED;
import static io.otpcodes.store.OtpTableSchema.CREATED_AT;
import static io.otpcodes.store.OtpTableSchema.EMAIL;
import static io.otpcodes.store.OtpTableSchema.EMAIL_KEY;
import static io.otpcodes.store.OtpTableSchema.EXPIRES_AT;
import static io.otpcodes.store.OtpTableSchema.ID;
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
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * OTP codes in DynamoDB, through the low-level client: no reflection-built schema at start-up.
 * Its jobs are handed out: ids to {@link IdAllocator}, what a create or an update writes to
 * {@link CodeTransactions}, the lists to their readers; here are the stored form of a code, the
 * reads of one code, the choice of list reader and the priming.
 */
public final class DynamoDbOtpCodeRepository implements OtpCodeRepository {

    private final DynamoDbClient dynamoDb;
    private final String otpTable;
    private final String counterTable;
    private final String summaryTable;
    private final IdBuckets buckets;
    private final FilteredListReader filteredLists;
    private final IdOrderedListReader idOrderedLists;
    private final LinesListReader linesLists;
    private final IdAllocator ids;
    private final CodeTransactions transactions;
    private final SummaryReadiness readiness;

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
        this.buckets = buckets;
        this.filteredLists = new FilteredListReader(dynamoDb, otpTable);
        StripeFolder folder = new StripeFolder(dynamoDb, summaryTable, buckets);
        this.idOrderedLists = new IdOrderedListReader(dynamoDb, summaryTable, buckets, folder);
        this.transactions = new CodeTransactions(dynamoDb, otpTable, summaryTable, retention, buckets);
        this.linesLists = new LinesListReader(dynamoDb, summaryTable, buckets, folder);
        this.readiness = new SummaryReadiness(dynamoDb, otpTable, summaryTable);
    }

    @Override
    public long nextId() {
        return ids.nextId();
    }

    /** What one create writes: {@link CodeTransactions#insert}. */
    @Override
    public void insert(OtpCode code) {
        transactions.insert(code, toItem(code));
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
                // the lines items of an id-ordered page, read together: a quantum before id 1
                dynamoDb.batchGetItem(r -> r.requestItems(Map.of(summaryTable, KeysAndAttributes.builder()
                        .keys(buckets.linesKey(-1)).consistentRead(true).build()))
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
                try {
                    // the removal of a count a PATCH left at zero (CodeTransactions#removeIfZero)
                    dynamoDb.updateItem(r -> r.tableName(summaryTable)
                            .key(Map.of(SummaryTableSchema.PART, s("none"), SummaryTableSchema.BUCKET, n(0)))
                            .updateExpression("REMOVE #e")
                            .conditionExpression("attribute_exists(#e) AND attribute_not_exists(#e)")
                            .expressionAttributeNames(Map.of("#e", SummaryTableSchema.EXPIRY_PREFIX + "0")));
                } catch (ConditionalCheckFailedException expected) {
                    // nothing was written, as intended
                }
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
        return toItem(code, buckets, expiresAt(code.validTo(), code.updatedAt()), 1);
    }

    /** The stored form of a code of {@code version}, counted in this layout, with its TTL attribute. */
    static Map<String, AttributeValue> toItem(OtpCode code, IdBuckets buckets, long expiresAt, long version) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(ID, n(code.id()));
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
        item.put(EXPIRES_AT, n(expiresAt));
        item.put(VERSION, n(version));
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
        if (plan.operation() == ListPlan.Operation.QUERY) {
            return filteredLists.read(query, plan, now);
        }
        Optional<Listing> listing = fromSummaries(query, plan, now);
        if (listing.isEmpty() && readiness.markIfEveryCodeCounted()) {
            listing = fromSummaries(query, plan, now);
        }
        if (listing.isPresent()) {
            return listing.get();
        }
        // an older table whose codes are not all counted yet: correct, at the cost of a Scan
        Listing scanned = filteredLists.read(query, plan.operation() == ListPlan.Operation.ID_ORDER
                ? new ListPlan(ListPlan.Operation.SCAN, null, null, null) : plan, now);
        return new Listing(scanned.count(), scanned.page(), scanned.stats().withSummariesNotReady());
    }

    /** The list from the summaries or the lines; empty when the table's codes are not all counted yet. */
    private Optional<Listing> fromSummaries(ListQuery query, ListPlan plan, Instant now) {
        if (plan.operation() == ListPlan.Operation.ID_ORDER) {
            return idOrderedLists.read(query, query.ordering().idOrder() == Ordering.IdOrder.DESCENDING, now);
        }
        return linesLists.read(query, now);
    }

    /** What one PATCH or PUT writes: {@link CodeTransactions#update}. */
    @Override
    public UpdateResult update(long id, OtpCodeInput input, RecipientRequirement requirement, Instant now) {
        return transactions.update(id, input, requirement, now);
    }

    /** The TTL attribute of a code written at {@code now}: {@link CodeTransactions#expiresAt}. */
    long expiresAt(Instant validTo, Instant now) {
        return transactions.expiresAt(validTo, now);
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
