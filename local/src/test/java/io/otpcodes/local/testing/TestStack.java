package io.otpcodes.local.testing;

import io.otpcodes.config.Settings;
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

    /** Makes the tables look like a table an older version wrote, before its backfill: lists Scan. */
    public void deleteReadyMarker() {
        dynamoDb.deleteItem(r -> r.tableName(settings().summaryTableName()).key(Map.of(
                SummaryTableSchema.PART, AttributeValue.fromS(SummaryTableSchema.READY_PART),
                SummaryTableSchema.BUCKET, AttributeValue.fromN(Long.toString(SummaryTableSchema.READY_MARKER)))));
    }
}
