package io.otpcodes.store;

import static io.otpcodes.store.DynamoDbOtpCodeRepository.n;
import static io.otpcodes.store.DynamoDbOtpCodeRepository.s;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/** The reads of the summary table the lists share: a partition, page by page, and the ready marker. */
final class SummaryPartitions {

    private SummaryPartitions() {
    }

    /** Every page of one partition, strongly consistent. */
    static void readAll(DynamoDbClient dynamoDb, String summaryTable, String part, Consumer<Pages.Page> each) {
        readAll(dynamoDb, summaryTable, part, Long.MIN_VALUE, Long.MAX_VALUE, each);
    }

    /** Every page of one partition, its sort keys from {@code low} to {@code high}, strongly consistent. */
    static void readAll(DynamoDbClient dynamoDb, String summaryTable, String part, long low, long high,
            Consumer<Pages.Page> each) {
        Map<String, String> names = new HashMap<>(Map.of("#part", SummaryTableSchema.PART));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":part", s(part)));
        String keyCondition = "#part = :part";
        if (low != Long.MIN_VALUE || high != Long.MAX_VALUE) {
            keyCondition += " AND #bucket BETWEEN :low AND :high";
            names.put("#bucket", SummaryTableSchema.BUCKET);
            values.put(":low", n(low));
            values.put(":high", n(high));
        }
        String condition = keyCondition;
        Pages.readAll(from -> Pages.Page.of(dynamoDb.query(r -> r.tableName(summaryTable).consistentRead(true)
                .keyConditionExpression(condition).expressionAttributeNames(names).expressionAttributeValues(values)
                .exclusiveStartKey(from).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL))), each);
    }

    /** Whether a coarse partition's first item is the marker that says every code is counted. */
    static boolean isReadyMarker(Map<String, AttributeValue> item) {
        return Long.parseLong(item.get(SummaryTableSchema.BUCKET).n()) == SummaryTableSchema.READY_MARKER;
    }

    /** Whether the ready marker also says every code has its line. */
    static boolean linesReady(Map<String, AttributeValue> marker) {
        AttributeValue lines = marker == null ? null : marker.get(SummaryTableSchema.LINES_READY);
        return lines != null && Boolean.TRUE.equals(lines.bool());
    }
}
