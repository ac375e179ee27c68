package io.otpcodes.handler;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.otpcodes.auth.ApiToken;
import io.otpcodes.auth.DynamoDbTokenRepository;
import io.otpcodes.auth.Permission;
import io.otpcodes.auth.TokenAuthorizer;
import io.otpcodes.auth.TokenHash;
import io.otpcodes.auth.TokenRepository;
import io.otpcodes.bench.InMemoryOtpCodeRepository;
import io.otpcodes.bench.InMemoryTokenRepository;
import io.otpcodes.config.Settings;
import io.otpcodes.domain.OtpCodeRepository;
import io.otpcodes.domain.OtpCodeService;
import io.otpcodes.json.Json;
import io.otpcodes.local.SamTemplate;
import io.otpcodes.store.DynamoDbClients;
import io.otpcodes.store.DynamoDbOtpCodeRepository;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Warm latency per invocation, in one JVM with Lambda's flags: every function through its real
 * handler, once on DynamoDB Local and once on an in-memory store, to tell our own overhead
 * from the database's. Usage: WarmProbe EVENTS_DIR ITERATIONS
 *
 * <p>It sits in the handler package, in the bench module, only to build handlers with their
 * package-private constructors (an in-memory store injected), which production keeps closed.
 */
public final class WarmProbe {

    private WarmProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path events = Path.of(args[0]);
        int iterations = Integer.parseInt(args[1]);
        Map<String, String> env = new HashMap<>(System.getenv());
        Settings settings = Settings.fromEnvironment(env);
        DynamoDbClient dynamoDb = DynamoDbClients.create(settings);

        SamTemplate template = SamTemplate.load();
        String prefix = "warm" + System.nanoTime() + "-";
        for (var table : template.tables(prefix)) {
            dynamoDb.createTable(table);
        }
        Map<String, String> tables = new HashMap<>(env);
        tables.put("OTP_TABLE_NAME", prefix + "OtpCodesTable");
        tables.put("COUNTER_TABLE_NAME", prefix + "CountersTable");
        tables.put("TOKEN_TABLE_NAME", prefix + "TokensTable");
        Settings local = Settings.fromEnvironment(tables);

        for (String store : new String[] {"memory", "dynamodb"}) {
            OtpCodeRepository repository = store.equals("memory")
                    ? new InMemoryOtpCodeRepository(local.retention())
                    : new DynamoDbOtpCodeRepository(dynamoDb, local);
            TokenRepository tokens = store.equals("memory")
                    ? new InMemoryTokenRepository()
                    : new DynamoDbTokenRepository(dynamoDb, local.tokenTableName());
            OtpCodeService service = new OtpCodeService(repository, Clock.systemUTC(), local.expiration());
            seedToken(tokens, events.resolve("authorizer.json"));

            // create last: it grows the table, and list is measured on the 21 codes seeded here
            Map<String, RequestStreamHandler> handlers = new LinkedHashMap<>();
            handlers.put("authorizer", new TokenAuthorizerHandler(new TokenAuthorizer(tokens)));
            handlers.put("retrieve", new ListOtpCodesHandler(service, local.pageSize()));
            handlers.put("list", new ListOtpCodesHandler(service, local.pageSize()));
            handlers.put("update", new UpdateOtpCodeHandler(service));
            handlers.put("create", new CreateOtpCodeHandler(service));
            for (int i = 0; i < 21; i++) {
                invoke(handlers.get("create"), Files.readAllBytes(events.resolve("create.json")));
            }
            Map<String, String> files = Map.of("create", "create.json", "retrieve", "retrieve.json", "list", "list.json",
                    "update", "update.json", "authorizer", "authorizer.json");
            for (Map.Entry<String, RequestStreamHandler> entry : handlers.entrySet()) {
                byte[] event = Files.readAllBytes(events.resolve(files.get(entry.getKey())));
                long[] samples = measure(entry.getValue(), event, iterations);
                System.out.printf("warm function=%s store=%s p50_us=%d p99_us=%d%n", entry.getKey(), store,
                        samples[samples.length / 2] / 1000, samples[(int) (samples.length * 0.99)] / 1000);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void seedToken(TokenRepository tokens, Path authorizerEvent) throws Exception {
        Map<String, Object> event = (Map<String, Object>) Json.parse(Files.readAllBytes(authorizerEvent));
        String header = (String) ((Map<String, Object>) event.get("headers")).get("Authorization");
        String hash = TokenHash.sha256(header.substring("Token ".length()));
        if (tokens.findByHash(hash).isEmpty()) {
            tokens.save(hash, new ApiToken("bench", true, true, true, EnumSet.allOf(Permission.class), Instant.now()));
        }
    }

    private static long[] measure(RequestStreamHandler handler, byte[] event, int iterations) throws Exception {
        for (int i = 0; i < Math.max(200, iterations / 4); i++) {
            invoke(handler, event);
        }
        long[] samples = new long[iterations];
        for (int i = 0; i < iterations; i++) {
            long start = System.nanoTime();
            invoke(handler, event);
            samples[i] = System.nanoTime() - start;
        }
        Arrays.sort(samples);
        return samples;
    }

    private static void invoke(RequestStreamHandler handler, byte[] event) throws Exception {
        handler.handleRequest(new ByteArrayInputStream(event), new ByteArrayOutputStream(), null);
    }
}
