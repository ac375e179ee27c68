package io.otpcodes.local.testing;

import io.otpcodes.config.Settings;
import io.otpcodes.store.OtpTableSchema;
import io.otpcodes.store.SummaryTableSchema;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** A set of tables in DynamoDB Local and the function environment that points at them. */
public record TestStack(String prefix, DynamoDbClient dynamoDb, Map<String, String> environment) {

    public Settings settings() {
        return Settings.fromEnvironment(environment);
    }

    /** The settings with some variables changed, e.g. a shorter expiration. */
    public Settings settings(Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>(environment);
        env.putAll(overrides);
        return Settings.fromEnvironment(env);
    }

    public String otpTable() {
        return settings().otpTableName();
    }

    /**
     * Makes the tables look like tables an older version wrote, before their backfill: no ready
     * marker, and codes not counted in this layout's summaries. Lists Scan.
     */
    public void makeNotBackfilled() {
        deleteReadyMarker();
        for (Map<String, AttributeValue> item : dynamoDb.scan(r -> r.tableName(otpTable()).consistentRead(true)).items()) {
            dynamoDb.updateItem(r -> r.tableName(otpTable()).key(Map.of(OtpTableSchema.ID, item.get(OtpTableSchema.ID)))
                    .updateExpression("REMOVE #counted").expressionAttributeNames(Map.of("#counted", OtpTableSchema.COUNTED)));
        }
    }

    /** Deletes the ready marker only, as a table whose first create failed after the counter moved leaves it. */
    public void deleteReadyMarker() {
        dynamoDb.deleteItem(r -> r.tableName(settings().summaryTableName()).key(Map.of(
                SummaryTableSchema.PART, AttributeValue.fromS(SummaryTableSchema.READY_PART),
                SummaryTableSchema.BUCKET, AttributeValue.fromN(Long.toString(SummaryTableSchema.READY_MARKER)))));
    }
}
