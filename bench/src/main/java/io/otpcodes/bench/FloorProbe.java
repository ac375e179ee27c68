package io.otpcodes.bench;

import java.net.URI;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The floor of a Java Lambda on DynamoDB: a fresh JVM that builds a DynamoDbClient
 * (url-connection client, region and credentials from the environment) and does one PutItem.
 * Usage: FloorProbe TABLE
 */
public final class FloorProbe {

    private FloorProbe() {
    }

    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        DynamoDbClient client = DynamoDbClient.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .region(Region.of(env.get("AWS_REGION")))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(env.get("AWS_ACCESS_KEY_ID"), env.get("AWS_SECRET_ACCESS_KEY"))))
                .endpointOverride(URI.create(env.get("DYNAMODB_ENDPOINT")))
                .build();
        client.putItem(r -> r.tableName(args[0]).item(Map.of(
                "name", AttributeValue.fromS("floor-" + System.nanoTime()),
                "value", AttributeValue.fromN("1"))));
        Probes.report();
    }
}
