package io.otpcodes.store;

import static io.otpcodes.store.DynamoDbOtpCodeRepository.n;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;

/**
 * Marks a table ready (every code counted in this layout's summaries: lists may read them)
 * when a list finds no ready marker and the table shows it: no code lacks this layout's count.
 * The table's first create puts the marker in its own transaction; this covers a table whose
 * first create failed after the counter moved (a throttle, a lost answer), which would else
 * Scan at every list for ever. An older version's table (before its backfill) holds codes not
 * counted: the first page of the check finds one and stops there.
 */
final class SummaryReadiness {

    private final DynamoDbClient dynamoDb;
    private final String otpTable;
    private final String summaryTable;

    SummaryReadiness(DynamoDbClient dynamoDb, String otpTable, String summaryTable) {
        this.dynamoDb = dynamoDb;
        this.otpTable = otpTable;
        this.summaryTable = summaryTable;
    }

    /** Puts the ready marker if no code of the table lacks this layout's count; returns whether it did. */
    boolean markIfEveryCodeCounted() {
        Map<String, AttributeValue> from = null;
        do {
            Map<String, AttributeValue> start = from;
            ScanResponse page = dynamoDb.scan(r -> r.tableName(otpTable).consistentRead(true).select(Select.COUNT)
                    .filterExpression("attribute_not_exists(#counted) OR #counted <> :layout")
                    .expressionAttributeNames(Map.of("#counted", OtpTableSchema.COUNTED))
                    .expressionAttributeValues(Map.of(":layout", n(OtpTableSchema.LAYOUT)))
                    .exclusiveStartKey(start));
            if (page.count() > 0) {
                return false;
            }
            from = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (from != null);
        dynamoDb.putItem(r -> r.tableName(summaryTable).item(CodeTransactions.readyMarker()));
        return true;
    }
}
