package io.otpcodes.local.testing;

import io.otpcodes.config.Settings;
import io.otpcodes.local.EmbeddedDynamoDb;
import io.otpcodes.local.SamTemplate;
import io.otpcodes.store.DynamoDbClients;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;

/**
 * One DynamoDB Local for the whole test JVM (started on first use, in memory), and fresh tables
 * per test class, created from template.yaml, so tests never see each other's data.
 */
public final class LocalDynamoDb {

    private static final AtomicInteger STACKS = new AtomicInteger();
    private static EmbeddedDynamoDb server;
    private static DynamoDbClient client;
    private static SamTemplate template;

    private LocalDynamoDb() {
    }

    /** A new set of the template's tables, and the environment a function would see with them. */
    public static synchronized TestStack newStack() {
        start();
        String prefix = "t" + STACKS.incrementAndGet() + "-";
        for (CreateTableRequest table : template.tables(prefix)) {
            client.createTable(table);
        }
        return new TestStack(prefix, client, environment(prefix, Map.of()));
    }

    /** The environment of {@code function} in the template, with this stack's tables. */
    static Map<String, String> environment(String prefix, Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>();
        for (var function : template.functions()) {
            env.putAll(template.environment(function.logicalId(), prefix));
        }
        env.put(Settings.Variable.DYNAMODB_ENDPOINT.name(), server.endpoint().toString());
        // as the local runtime: one JVM, ids drawn one at a time (IdAllocatorTest covers the blocks)
        env.put(Settings.Variable.OTP_ID_BLOCK_SIZE.name(), "1");
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "local");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        env.putAll(overrides);
        return env;
    }

    /** The shared DynamoDB Local's endpoint. */
    public static java.net.URI endpoint() {
        start();
        return server.endpoint();
    }

    public static SamTemplate template() {
        start();
        return template;
    }

    private static void start() {
        if (server != null) {
            return;
        }
        try {
            template = SamTemplate.load();
            server = EmbeddedDynamoDb.start(freePort(), null);
            Map<String, String> env = new HashMap<>();
            env.put(Settings.Variable.DYNAMODB_ENDPOINT.name(), server.endpoint().toString());
        // as the local runtime: one JVM, ids drawn one at a time (IdAllocatorTest covers the blocks)
        env.put(Settings.Variable.OTP_ID_BLOCK_SIZE.name(), "1");
            client = DynamoDbClients.create(Settings.fromEnvironment(env));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                } catch (Exception e) {
                    // the JVM is ending anyway
                }
            }));
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not start", e);
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
