package io.otpcodes.local;

import io.otpcodes.config.Settings;
import io.otpcodes.store.DynamoDbClients;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** A client on a given DynamoDB Local endpoint, as the functions build theirs. */
final class DynamoDbClientsForTests {

    private DynamoDbClientsForTests() {
    }

    static DynamoDbClient client(String endpoint) {
        return DynamoDbClients.create(Settings.fromEnvironment(Map.of(Settings.Variable.DYNAMODB_ENDPOINT.name(), endpoint)));
    }
}
