package io.otpcodes.store;

import static io.otpcodes.store.OtpTableSchema.CODE;
import static io.otpcodes.store.OtpTableSchema.CREATED_AT;
import static io.otpcodes.store.OtpTableSchema.EMAIL;
import static io.otpcodes.store.OtpTableSchema.EMAIL_KEY;
import static io.otpcodes.store.OtpTableSchema.EXPIRES_AT;
import static io.otpcodes.store.OtpTableSchema.ID;
import static io.otpcodes.store.OtpTableSchema.MOBILE_NUMBER;
import static io.otpcodes.store.OtpTableSchema.UPDATED_AT;
import static io.otpcodes.store.OtpTableSchema.VALID_TO;

import io.otpcodes.domain.ListFilter;
import io.otpcodes.domain.OtpCode;
import io.otpcodes.domain.OtpCodeInput;
import io.otpcodes.domain.OtpCodeRepository;
import io.otpcodes.domain.ReadStats;
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
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/** OTP codes in DynamoDB, through the low-level client: no reflection-built schema at start-up. */
public final class DynamoDbOtpCodeRepository implements OtpCodeRepository {

    private final DynamoDbClient dynamoDb;
    private final String otpTable;
    private final String counterTable;
    private final Duration retention;

    public DynamoDbOtpCodeRepository(DynamoDbClient dynamoDb, String otpTable, String counterTable,
            Duration retention) {
        this.dynamoDb = dynamoDb;
        this.otpTable = otpTable;
        this.counterTable = counterTable;
        this.retention = retention;
    }

    @Override
    public long nextId() {
        UpdateItemResponse response = dynamoDb.updateItem(r -> r
                .tableName(counterTable)
                .key(Map.of(CounterTableSchema.NAME, s(CounterTableSchema.OTP_CODE_ID)))
                .updateExpression("ADD #value :one")
                .expressionAttributeNames(Map.of("#value", CounterTableSchema.VALUE))
                .expressionAttributeValues(Map.of(":one", n(1)))
                .returnValues(ReturnValue.UPDATED_NEW));
        return Long.parseLong(response.attributes().get(CounterTableSchema.VALUE).n());
    }

    /**
     * A conditional put. When the SDK retries a put whose first attempt did succeed (the
     * answer was lost: a 500 or a timeout after the write), the retry finds its own item: that
     * is success, not a conflict, so the client gets its 201 and retries nothing.
     */
    @Override
    public void insert(OtpCode code) {
        Map<String, AttributeValue> item = toItem(code);
        try {
            dynamoDb.putItem(r -> r
                    .tableName(otpTable)
                    .item(item)
                    .conditionExpression("attribute_not_exists(#id)")
                    .expressionAttributeNames(Map.of("#id", ID))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
        } catch (ConditionalCheckFailedException e) {
            if (!item.equals(e.item())) {
                throw e;
            }
        }
    }

    /**
     * Each request this store makes, changing nothing: a one-item Scan and Query, a GetItem of
     * id 0 (ids start at 1), and a PutItem and counter UpdateItem whose conditions can never
     * hold, so DynamoDB refuses them before writing.
     */
    @Override
    public void warmUp() {
        dynamoDb.scan(r -> r.tableName(otpTable).limit(1).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        dynamoDb.query(r -> r.tableName(otpTable).indexName(OtpTableSchema.MOBILE_NUMBER_INDEX).limit(1)
                .keyConditionExpression("#m = :m").expressionAttributeNames(Map.of("#m", MOBILE_NUMBER))
                .expressionAttributeValues(Map.of(":m", s("0"))).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        dynamoDb.getItem(r -> r.tableName(otpTable).key(Map.of(ID, n(0))).consistentRead(true));
        OtpCode nothing = new OtpCode(0, 0, "00000000000", null, Instant.EPOCH, Instant.EPOCH, Instant.EPOCH);
        try {
            dynamoDb.putItem(r -> r.tableName(otpTable).item(toItem(nothing))
                    .conditionExpression("attribute_exists(#id) AND attribute_not_exists(#id)")
                    .expressionAttributeNames(Map.of("#id", ID)));
        } catch (ConditionalCheckFailedException expected) {
            // nothing was written, as intended
        }
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

    /** The stored form of a code: null recipients left out, so the indexes on them stay sparse. */
    Map<String, AttributeValue> toItem(OtpCode code) {
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
        item.put(EXPIRES_AT, n(expiresAt(code.validTo())));
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
    public Listing list(ListFilter filter, Instant now) {
        ListPlan plan = ListPlan.of(filter);
        Expression expression = new Expression();
        String keyCondition = null;
        List<String> conditions = new ArrayList<>();
        if (plan.operation() == ListPlan.Operation.QUERY) {
            keyCondition = expression.name(plan.keyAttribute()) + " = " + expression.value(s(plan.keyValue()))
                    + idKeyRange(expression, filter);
        } else {
            addRange(expression, conditions, ID, filter.idMin(), filter.idMax());
        }
        conditions.add(expression.name(EXPIRES_AT) + " > " + expression.value(n(now.getEpochSecond())));
        addRange(expression, conditions, CREATED_AT, filter.createdFrom(), filter.createdTo());
        addRange(expression, conditions, UPDATED_AT, filter.updatedFrom(), filter.updatedTo());
        addPresence(expression, conditions, MOBILE_NUMBER, filter.hasMobileNumber());
        addPresence(expression, conditions, EMAIL, filter.hasEmail());
        if (filter.mobileNumber() != null && plan.operation() != ListPlan.Operation.QUERY) {
            conditions.add(expression.name(MOBILE_NUMBER) + " = " + expression.value(s(filter.mobileNumber())));
        }
        if (filter.isAllow() != null) {
            conditions.add(expression.name(VALID_TO) + (filter.isAllow() ? " > " : " <= ")
                    + expression.value(time(now)));
        }
        String filterExpression = String.join(" AND ", conditions);

        List<OtpCode> codes = new ArrayList<>();
        double capacity = 0;
        int pages = 0;
        Map<String, AttributeValue> startKey = null;
        do {
            List<Map<String, AttributeValue>> items;
            Map<String, AttributeValue> lastKey;
            Double consumed;
            if (plan.operation() == ListPlan.Operation.QUERY) {
                String condition = keyCondition;
                Map<String, AttributeValue> from = startKey;
                QueryResponse response = dynamoDb.query(r -> r.tableName(otpTable).indexName(plan.index())
                        .keyConditionExpression(condition).filterExpression(filterExpression)
                        .expressionAttributeNames(expression.names()).expressionAttributeValues(expression.values())
                        .exclusiveStartKey(from).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
                items = response.items();
                lastKey = response.lastEvaluatedKey();
                consumed = response.consumedCapacity() == null ? null : response.consumedCapacity().capacityUnits();
            } else {
                Map<String, AttributeValue> from = startKey;
                // A table Scan reads consistently, as the old database did: a code is listed as
                // soon as its create has answered. Index reads cannot be consistent in DynamoDB.
                ScanResponse response = dynamoDb.scan(r -> r.tableName(otpTable).indexName(plan.index())
                        .consistentRead(plan.index() == null)
                        .filterExpression(filterExpression)
                        .expressionAttributeNames(expression.names()).expressionAttributeValues(expression.values())
                        .exclusiveStartKey(from).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
                items = response.items();
                lastKey = response.lastEvaluatedKey();
                consumed = response.consumedCapacity() == null ? null : response.consumedCapacity().capacityUnits();
            }
            for (Map<String, AttributeValue> item : items) {
                codes.add(toOtpCode(item));
            }
            capacity += consumed == null ? 0 : consumed;
            pages++;
            startKey = lastKey == null || lastKey.isEmpty() ? null : lastKey;
        } while (startKey != null);
        String operation = plan.operation() == ListPlan.Operation.QUERY ? "Query" : "Scan";
        return new Listing(codes, new ReadStats(operation, plan.index(), capacity, codes.size(), pages));
    }

    /** On an index, ids are the sort key: the id range narrows the Query itself. */
    private static String idKeyRange(Expression expression, ListFilter filter) {
        if (filter.idMin() != null && filter.idMax() != null) {
            return " AND " + expression.name(ID) + " BETWEEN " + expression.value(n(filter.idMin()))
                    + " AND " + expression.value(n(filter.idMax()));
        }
        if (filter.idMin() != null) {
            return " AND " + expression.name(ID) + " >= " + expression.value(n(filter.idMin()));
        }
        if (filter.idMax() != null) {
            return " AND " + expression.name(ID) + " <= " + expression.value(n(filter.idMax()));
        }
        return "";
    }

    private static void addRange(Expression expression, List<String> conditions, String attribute, Long min, Long max) {
        if (min != null) {
            conditions.add(expression.name(attribute) + " >= " + expression.value(n(min)));
        }
        if (max != null) {
            conditions.add(expression.name(attribute) + " <= " + expression.value(n(max)));
        }
    }

    private static void addPresence(Expression expression, List<String> conditions, String attribute, Boolean present) {
        if (present != null) {
            conditions.add((present ? "attribute_exists(" : "attribute_not_exists(") + expression.name(attribute) + ")");
        }
    }

    @Override
    public UpdateResult update(long id, OtpCodeInput input, RecipientRequirement requirement, Instant now) {
        Expression expression = new Expression();
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
        String update = "SET " + String.join(", ", set) + (remove.isEmpty() ? "" : " REMOVE " + String.join(", ", remove));

        String condition = "attribute_exists(" + expression.name(ID) + ") AND "
                + expression.name(EXPIRES_AT) + " > " + expression.value(n(now.getEpochSecond()))
                + recipientCondition(expression, requirement);
        try {
            UpdateItemResponse response = dynamoDb.updateItem(r -> r
                    .tableName(otpTable)
                    .key(Map.of(ID, n(id)))
                    .updateExpression(update)
                    .conditionExpression(condition)
                    .expressionAttributeNames(expression.names())
                    .expressionAttributeValues(expression.values())
                    .returnValues(ReturnValue.ALL_NEW)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return UpdateResult.updated(toOtpCode(response.attributes()));
        } catch (ConditionalCheckFailedException e) {
            Map<String, AttributeValue> old = e.item();
            boolean gone = old == null || old.isEmpty() || isExpired(old, now);
            return UpdateResult.failed(gone ? UpdateResult.Status.NOT_FOUND : UpdateResult.Status.RECIPIENT_RULE_BROKEN);
        }
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
        switch (requirement) {
            case HAS_MOBILE_NUMBER:
                return " AND attribute_exists(" + expression.name(MOBILE_NUMBER) + ")";
            case NO_MOBILE_NUMBER:
                return " AND attribute_not_exists(" + expression.name(MOBILE_NUMBER) + ")";
            case HAS_EMAIL:
                return " AND attribute_exists(" + expression.name(EMAIL) + ")";
            case NO_EMAIL:
                return " AND attribute_not_exists(" + expression.name(EMAIL) + ")";
            default:
                return "";
        }
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
