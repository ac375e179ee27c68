package io.otpcodes.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.otpcodes.auth.DynamoDbTokenRepository;
import io.otpcodes.auth.Permission;
import io.otpcodes.auth.Tokens;
import io.otpcodes.config.Settings;
import io.otpcodes.store.DynamoDbClients;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;

/**
 * The whole API in one JVM: DynamoDB Local on loopback, the template's tables, its functions
 * with their template environment, and API Gateway's routing, authorizer and responses.
 */
public final class LocalRuntime implements AutoCloseable {

    /** Where the local runtime serves, as the template routes it (no stage prefix locally). */
    public static final String API_PATH = "/api/notifications/otp/";
    public static final String LOCAL_ADMIN = "local-admin";
    /** Threads that run requests; a stalled client holds none (Jetty reads requests without one). */
    static final int API_THREADS = 32;

    private final EmbeddedDynamoDb dynamoDbServer;
    private final DynamoDbClient dynamoDb;
    private final LocalHttpServer http;
    private final LocalHttpServer lambda;
    private final ExecutorService invocations;
    private final String apiUrl;

    /**
     * How to start: ports (the Lambda Invoke API's 0: any free one), where data lives (null: in
     * memory), environment overrides, and the authorizer cache TTL in seconds (null: the
     * template's).
     */
    public record Options(int port, int lambdaPort, int dynamoDbPort, Path dataDir, Map<String, String> environment,
            Integer authorizerCacheSeconds) {
    }

    private LocalRuntime(EmbeddedDynamoDb dynamoDbServer, DynamoDbClient dynamoDb, LocalHttpServer http,
            LocalHttpServer lambda, ExecutorService invocations) {
        this.dynamoDbServer = dynamoDbServer;
        this.dynamoDb = dynamoDb;
        this.http = http;
        this.lambda = lambda;
        this.invocations = invocations;
        this.apiUrl = "http://127.0.0.1:" + http.port() + API_PATH;
    }

    /**
     * Starts everything; prints the API's URL, the Lambda Invoke API's URL and, on a first
     * start, an admin token.
     *
     * @throws Exception when a port is taken or the data folder cannot be used
     */
    public static LocalRuntime start(Options options, PrintStream out) throws Exception {
        SamTemplate template = SamTemplate.load();
        EmbeddedDynamoDb dynamoDbServer = EmbeddedDynamoDb.start(options.dynamoDbPort(), options.dataDir());
        LocalHttpServer http = null;
        LocalHttpServer lambda = null;
        ExecutorService invocations = null;
        DynamoDbClient dynamoDb = null;
        try {
            Map<String, String> base = new HashMap<>();
            base.put(Settings.Variable.DYNAMODB_ENDPOINT.name(), dynamoDbServer.endpoint().toString());
            base.put("AWS_REGION", "us-east-1");
            base.put("AWS_ACCESS_KEY_ID", "local");
            base.put("AWS_SECRET_ACCESS_KEY", "local");
            dynamoDb = DynamoDbClients.create(Settings.fromEnvironment(base));
            createTables(template, dynamoDb);

            Map<String, RequestStreamHandler> functions = new LinkedHashMap<>();
            List<LocalLambdaApi.LambdaFunction> lambdaFunctions = new ArrayList<>();
            Settings tokenSettings = null;
            for (SamTemplate.Function function : template.functions()) {
                Map<String, String> env = new HashMap<>(template.environment(function.logicalId(), ""));
                // one JVM serves every request here: ids drawn one at a time stay consecutive
                env.computeIfPresent(Settings.Variable.OTP_ID_BLOCK_SIZE.name(), (name, value) -> "1");
                env.replaceAll((name, value) -> options.environment().getOrDefault(name, value));
                env.putAll(base);
                Settings settings = Settings.fromEnvironment(env);
                RequestStreamHandler handler = FunctionLoader.load(function.handlerClass(), settings, dynamoDb);
                functions.put(function.logicalId(), handler);
                lambdaFunctions.add(new LocalLambdaApi.LambdaFunction(function.logicalId(), handler,
                        number(template.functionProperty(function.logicalId(), "Timeout"),
                                LocalContext.DEFAULT_TIMEOUT_SECONDS),
                        number(template.functionProperty(function.logicalId(), "MemorySize"),
                                LocalContext.DEFAULT_MEMORY_MB),
                        (String) template.functionProperty(function.logicalId(), "AutoPublishAlias")));
                if (env.containsKey(Settings.Variable.TOKEN_TABLE_NAME.name())) {
                    tokenSettings = settings;
                }
            }
            ApiDefinition api = ApiDefinition.of(template);
            if (options.authorizerCacheSeconds() != null) {
                api = api.withAuthorizerCacheSeconds(options.authorizerCacheSeconds());
            }
            // Both servers are bound now but answer only once everything is printed: a script that
            // waits for the API to answer has the admin token by then.
            http = LocalHttpServer.bind(options.port(), "local-api", API_THREADS, new LocalApiGateway(api, functions, out));
            invocations = Executors.newCachedThreadPool();
            lambda = LocalHttpServer.bind(options.lambdaPort(), "local-lambda", API_THREADS,
                    new LocalLambdaApi(lambdaFunctions, invocations, out));

            LocalRuntime runtime = new LocalRuntime(dynamoDbServer, dynamoDb, http, lambda, invocations);
            out.println("API: " + runtime.apiUrl());
            out.println("Lambda: " + runtime.lambdaUrl());
            if (tokenSettings != null) {
                Tokens tokens = new Tokens(new DynamoDbTokenRepository(dynamoDb, tokenSettings.tokenTableName()),
                        Clock.systemUTC());
                if (tokens.list().isEmpty()) {
                    out.println("Admin token: " + tokens.issue(LOCAL_ADMIN, true, true, EnumSet.allOf(Permission.class)));
                }
            }
            out.flush();
            http.start();
            lambda.start();
            return runtime;
        } catch (Exception | Error e) {
            if (http != null) {
                http.close();
            }
            if (lambda != null) {
                lambda.close();
            }
            if (invocations != null) {
                invocations.shutdownNow();
            }
            if (dynamoDb != null) {
                dynamoDb.close();
            }
            dynamoDbServer.close();
            throw e;
        }
    }

    /** The tables of the template, created when they are not there yet, with TTL as declared. */
    public static void createTables(SamTemplate template, DynamoDbClient dynamoDb) {
        Set<String> existing = Set.copyOf(dynamoDb.listTables().tableNames());
        for (CreateTableRequest table : template.tables("")) {
            if (existing.contains(table.tableName())) {
                continue;
            }
            try {
                dynamoDb.createTable(table);
            } catch (ResourceInUseException e) {
                continue;
            }
            String ttl = template.timeToLiveAttribute(table.tableName());
            if (ttl != null) {
                dynamoDb.updateTimeToLive(r -> r.tableName(table.tableName())
                        .timeToLiveSpecification(s -> s.attributeName(ttl).enabled(true)));
            }
        }
    }

    public String apiUrl() {
        return apiUrl;
    }

    /** Where Lambda's Invoke API is served: an AWS client's endpoint override. */
    public String lambdaUrl() {
        return "http://127.0.0.1:" + lambda.port();
    }

    private static int number(Object value, int otherwise) {
        return value instanceof Number n ? n.intValue() : otherwise;
    }

    public int port() {
        return http.port();
    }

    public String dynamoDbEndpoint() {
        return dynamoDbServer.endpoint().toString();
    }

    /** Stops taking requests, lets those under way finish, then stops DynamoDB Local. */
    @Override
    public void close() throws Exception {
        http.close();
        lambda.close();
        invocations.shutdown();
        dynamoDb.close();
        dynamoDbServer.close();
    }
}
