package io.otpcodes.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.otpcodes.auth.DynamoDbTokenRepository;
import io.otpcodes.auth.Permission;
import io.otpcodes.auth.Tokens;
import io.otpcodes.config.Settings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

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

    private final DynamoDbTarget.Connection store;
    private final LocalHttpServer http;
    private final LocalHttpServer lambda;
    private final ExecutorService invocations;
    private final String apiUrl;

    /**
     * How to start: ports (the Lambda Invoke API's 0: any free one), where data lives (null: in
     * memory), environment overrides, the authorizer cache TTL in seconds (null: the
     * template's), and which DynamoDB to serve from (the embedded one on {@code dynamoDbPort}
     * with {@code dataDir} unless another is given).
     */
    public record Options(int port, int lambdaPort, int dynamoDbPort, Path dataDir, Map<String, String> environment,
            Integer authorizerCacheSeconds, DynamoDbTarget dynamoDb) {

        public Options(int port, int lambdaPort, int dynamoDbPort, Path dataDir, Map<String, String> environment,
                Integer authorizerCacheSeconds) {
            this(port, lambdaPort, dynamoDbPort, dataDir, environment, authorizerCacheSeconds,
                    new DynamoDbTarget.Embedded(dynamoDbPort, dataDir));
        }

        /** These options against the DynamoDB at {@code url} (no embedded one). */
        public Options withEndpoint(String url) {
            return new Options(port, lambdaPort, dynamoDbPort, null, environment, authorizerCacheSeconds,
                    new DynamoDbTarget.Endpoint(url));
        }

        /** These options against a deployed stack's tables ({@code region}, {@code profile}: null for the defaults). */
        public Options withStack(String name, String region, String profile) {
            return new Options(port, lambdaPort, dynamoDbPort, null, environment, authorizerCacheSeconds,
                    new DynamoDbTarget.DeployedStack(name, region, profile));
        }

        boolean embedsDynamoDb() {
            return dynamoDb instanceof DynamoDbTarget.Embedded;
        }
    }

    private LocalRuntime(DynamoDbTarget.Connection store, LocalHttpServer http, LocalHttpServer lambda,
            ExecutorService invocations) {
        this.store = store;
        this.http = http;
        this.lambda = lambda;
        this.invocations = invocations;
        this.apiUrl = "http://127.0.0.1:" + http.port() + API_PATH;
    }

    /**
     * Starts everything; prints the API's URL, the Lambda Invoke API's URL and, on a first
     * start against a local DynamoDB, an admin token.
     *
     * @throws DynamoDbTarget.Unusable when the DynamoDB asked for cannot be used (said in one line)
     * @throws Exception when a port is taken or the data folder cannot be used
     */
    public static LocalRuntime start(Options options, PrintStream out) throws Exception {
        SamTemplate template = SamTemplate.load();
        DynamoDbTarget.Connection store = DynamoDbTarget.connect(options.dynamoDb(), template, options.environment(), out);
        LocalHttpServer http = null;
        LocalHttpServer lambda = null;
        ExecutorService invocations = null;
        DynamoDbClient dynamoDb = store.dynamoDb();
        try {
            Map<String, RequestStreamHandler> functions = new LinkedHashMap<>();
            List<LocalLambdaApi.LambdaFunction> lambdaFunctions = new ArrayList<>();
            Settings tokenSettings = null;
            for (SamTemplate.Function function : template.functions()) {
                Map<String, String> env = new HashMap<>(template.environment(function.logicalId(), store::tableName));
                // one JVM serves every request here: ids drawn one at a time stay consecutive
                env.computeIfPresent(Settings.Variable.OTP_ID_BLOCK_SIZE.name(), (name, value) -> "1");
                env.replaceAll((name, value) -> options.environment().getOrDefault(name, value));
                env.putAll(store.environment());
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

            LocalRuntime runtime = new LocalRuntime(store, http, lambda, invocations);
            out.println("API: " + runtime.apiUrl());
            out.println("Lambda: " + runtime.lambdaUrl());
            if (tokenSettings != null) {
                Tokens tokens = new Tokens(new DynamoDbTokenRepository(dynamoDb, tokenSettings.tokenTableName()),
                        Clock.systemUTC());
                if (!store.issuesAdminToken()) {
                    // never a write to a deployed stack's tokens that nobody asked for
                    out.println("Tokens: issue one with: token create --table " + tokenSettings.tokenTableName()
                            + " --name NAME [--staff --permissions 2851,2852,2853 | --admin]");
                } else if (tokens.list().isEmpty()) {
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
            dynamoDb.close();
            if (store.embedded() != null) {
                store.embedded().close();
            }
            throw e;
        }
    }

    /** The tables of the template, created when they are not there yet, with TTL as declared. */
    public static void createTables(SamTemplate template, DynamoDbClient dynamoDb) {
        DynamoDbTarget.createTables(template, dynamoDb);
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

    /** The DynamoDB the runtime serves from: its endpoint URL, or "stack NAME". */
    public String dynamoDbEndpoint() {
        return store.endpointDescription();
    }

    /** Stops taking requests, lets those under way finish, then stops DynamoDB Local if it runs here. */
    @Override
    public void close() throws Exception {
        http.close();
        lambda.close();
        invocations.shutdown();
        store.dynamoDb().close();
        if (store.embedded() != null) {
            store.embedded().close();
        }
    }
}
