package io.otpcodes.store;

import static io.otpcodes.store.DynamoDbOtpCodeRepository.n;
import static io.otpcodes.store.DynamoDbOtpCodeRepository.s;
import static io.otpcodes.store.DynamoDbOtpCodeRepository.time;
import static io.otpcodes.store.OtpTableSchema.CREATED_AT;
import static io.otpcodes.store.OtpTableSchema.EMAIL;
import static io.otpcodes.store.OtpTableSchema.EMAIL_KEY;
import static io.otpcodes.store.OtpTableSchema.EXPIRES_AT;
import static io.otpcodes.store.OtpTableSchema.ID;
import static io.otpcodes.store.OtpTableSchema.MOBILE_NUMBER;
import static io.otpcodes.store.OtpTableSchema.UPDATED_AT;
import static io.otpcodes.store.OtpTableSchema.VALID_TO;

import io.otpcodes.domain.ListFilter;
import io.otpcodes.domain.ListQuery;
import io.otpcodes.domain.OtpCodeRepository.Listing;
import io.otpcodes.domain.PageCollector;
import io.otpcodes.domain.ReadStats;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/**
 * The lists the summaries cannot answer: a Query of a recipient's index, or, on a table whose
 * codes the lines do not all hold yet, one parallel Scan.
 * Every filter is judged by DynamoDB (ANDed, whatever the index), the search and the order in
 * memory by a {@link PageCollector}, which keeps only offset + limit codes.
 */
final class FilteredListReader {

    /** Parallel Scan segments, one per thread of the pool. */
    static final int SCAN_SEGMENTS = ParallelRequests.THREADS;

    private final DynamoDbClient dynamoDb;
    private final String otpTable;

    FilteredListReader(DynamoDbClient dynamoDb, String otpTable) {
        this.dynamoDb = dynamoDb;
        this.otpTable = otpTable;
    }

    Listing read(ListQuery query, ListPlan plan, Instant now) {
        Expression expression = new Expression();
        List<String> conditions = new ArrayList<>();
        if (!filterConditions(query.filter(), plan, now, expression, conditions)) {
            return new Listing(0, List.of(), ReadStats.none());
        }
        String filterExpression = String.join(" AND ", conditions);
        if (plan.operation() == ListPlan.Operation.QUERY) {
            String keyCondition = expression.name(plan.keyAttribute()) + " = " + expression.value(s(plan.keyValue()))
                    + idKeyRange(expression, query.filter());
            ListPass pass = new ListPass(query);
            query(pass, plan, keyCondition, filterExpression, expression);
            return new Listing(pass.count(), pass.page(), pass.stats("Query", plan.index()));
        }
        ListPass all = new ListPass(query);
        List<Supplier<Void>> segments = new ArrayList<>();
        for (int segment = 0; segment < SCAN_SEGMENTS; segment++) {
            int s = segment;
            segments.add(() -> scan(all, plan, s, filterExpression, expression));
        }
        ParallelRequests.runAll(segments);
        return new Listing(all.count(), all.page(), all.stats("Scan", plan.index()));
    }

    /** Counts a page's cost and offers its codes. */
    private static void read(ListPass pass, Pages.Page page) {
        pass.account(page);
        pass.offer(page.items().stream().map(DynamoDbOtpCodeRepository::toOtpCode).toList());
    }

    private void query(ListPass pass, ListPlan plan, String keyCondition, String filterExpression,
            Expression expression) {
        Pages.readAll(from -> Pages.Page.of(dynamoDb.query(r -> r.tableName(otpTable).indexName(plan.index())
                .keyConditionExpression(keyCondition).filterExpression(filterExpression)
                .expressionAttributeNames(expression.names()).expressionAttributeValues(expression.values())
                .exclusiveStartKey(from).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL))), page -> read(pass, page));
    }

    private Void scan(ListPass pass, ListPlan plan, int segment, String filterExpression, Expression expression) {
        // A table Scan reads consistently, as the old database did: a code is listed as soon as
        // its create has answered. Index reads cannot be consistent in DynamoDB.
        Pages.readAll(from -> Pages.Page.of(dynamoDb.scan(r -> r.tableName(otpTable).indexName(plan.index())
                .consistentRead(plan.index() == null)
                .segment(segment).totalSegments(SCAN_SEGMENTS)
                .filterExpression(filterExpression)
                .expressionAttributeNames(expression.names()).expressionAttributeValues(expression.values())
                .exclusiveStartKey(from).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL))), page -> read(pass, page));
        return null;
    }

    /**
     * Every filter but the Query's key, ANDed. A Query may not name its index's key in the filter,
     * so a has_* on the recipient the index is keyed by is judged here: implied, or impossible.
     *
     * @return false when no code can match
     */
    private static boolean filterConditions(ListFilter filter, ListPlan plan, Instant now, Expression expression,
            List<String> conditions) {
        boolean query = plan.operation() == ListPlan.Operation.QUERY;
        String keyRecipient = !query ? null : plan.keyAttribute().equals(MOBILE_NUMBER) ? MOBILE_NUMBER : EMAIL;
        if (!query) {
            addRange(expression, conditions, ID, filter.idMin(), filter.idMax());
        }
        conditions.add(expression.name(EXPIRES_AT) + " > " + expression.value(n(now.getEpochSecond())));
        addRange(expression, conditions, CREATED_AT, filter.createdFrom(), filter.createdTo());
        addRange(expression, conditions, UPDATED_AT, filter.updatedFrom(), filter.updatedTo());
        if (!addPresence(expression, conditions, MOBILE_NUMBER, filter.hasMobileNumber(), keyRecipient)
                || !addPresence(expression, conditions, EMAIL, filter.hasEmail(), keyRecipient)) {
            return false;
        }
        if (filter.mobileNumber() != null && !MOBILE_NUMBER.equals(keyRecipient)) {
            conditions.add(expression.name(MOBILE_NUMBER) + " = " + expression.value(s(filter.mobileNumber())));
        }
        if (filter.emailKey() != null && !EMAIL.equals(keyRecipient)) {
            conditions.add(expression.name(EMAIL_KEY) + " = " + expression.value(s(filter.emailKey())));
        }
        if (filter.isAllow() != null) {
            conditions.add(expression.name(VALID_TO) + (filter.isAllow() ? " > " : " <= ")
                    + expression.value(time(now)));
        }
        return true;
    }

    /** @return false when the presence asked contradicts the Query's key */
    private static boolean addPresence(Expression expression, List<String> conditions, String attribute,
            Boolean present, String keyRecipient) {
        if (present == null) {
            return true;
        }
        if (attribute.equals(keyRecipient)) {
            return present;
        }
        conditions.add((present ? "attribute_exists(" : "attribute_not_exists(") + expression.name(attribute) + ")");
        return true;
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
}
