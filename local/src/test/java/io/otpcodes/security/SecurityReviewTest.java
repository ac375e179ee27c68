package io.otpcodes.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpcodes.auth.DynamoDbTokenRepository;
import io.otpcodes.auth.Permission;
import io.otpcodes.auth.TokenHash;
import io.otpcodes.auth.Tokens;
import io.otpcodes.config.Settings;
import io.otpcodes.local.FunctionLoader;
import io.otpcodes.local.LocalRuntime;
import io.otpcodes.local.ProxyEvent;
import io.otpcodes.local.testing.ApiCalls;
import io.otpcodes.local.testing.Invocation;
import io.otpcodes.local.testing.LocalDynamoDb;
import io.otpcodes.local.testing.TestStack;
import io.otpcodes.api.Route;
import io.otpcodes.store.DynamoDbClients;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/** The security review's points, each shown by a test. */
class SecurityReviewTest {

    /** Every request a client sends, as the SDK is about to send it. */
    static final class Recorder implements ExecutionInterceptor {
        final ConcurrentLinkedQueue<SdkRequest> requests = new ConcurrentLinkedQueue<>();

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            requests.add(context.request());
        }
    }

    static DynamoDbClient recordingClient(Recorder recorder) {
        return DynamoDbClient.builder()
                .endpointOverride(LocalDynamoDb.endpoint())
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("local", "local")))
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.addExecutionInterceptor(recorder))
                .build();
    }

    /** Placeholders (#name, :v0), DynamoDB's keywords and functions, operators; nothing else. */
    static final String SAFE_EXPRESSION = "(#[A-Za-z0-9_]+|:v?[0-9a-z]+|AND|OR|NOT|BETWEEN|SET|REMOVE|ADD|"
            + "attribute_exists|attribute_not_exists|if_not_exists|[()=<>,\\s])*";

    @Test
    void everyDynamoDbExpression_isBuiltFromPlaceholdersOnly_whateverTheInput() {
        TestStack stack = LocalDynamoDb.newStack();
        Recorder recorder = new Recorder();
        DynamoDbClient client = recordingClient(recorder);
        Settings settings = stack.settings();
        var create = FunctionLoader.load("io.otpcodes.handler.CreateOtpCodeHandler", settings, client);
        var list = FunctionLoader.load("io.otpcodes.handler.ListOtpCodesHandler", settings, client);
        var update = FunctionLoader.load("io.otpcodes.handler.UpdateOtpCodeHandler", settings, client);
        String hostile = "x) OR attribute_exists(#id) OR (:v0 = :v0";
        Invocation.invoke(create, ProxyEvent.request("POST", "/").resource(Route.COLLECTION)
                .jsonBody("{\"code\": 1, \"email\": \"a@b.ir\"}"));
        for (String name : List.of("mobile_number", "email", "search", "ordering", "id_min", "created_from", "is_allow")) {
            Invocation.invoke(list, ProxyEvent.request("GET", "/").resource(Route.COLLECTION).query(name, hostile));
            Invocation.invoke(list, ProxyEvent.request("GET", "/").resource(Route.COLLECTION).query(name, "09123456789"));
        }
        Invocation.invoke(list, ProxyEvent.request("GET", "/").resource(Route.COLLECTION)
                .query("id_min", "1").query("id_max", "5").query("created_from", "2025-01-01").query("has_email", "false")
                .query("is_allow", "true").query("updated_to", "2030-01-01"));
        // as on a table not backfilled yet: the one-pass lists Scan the table
        stack.makeNotBackfilled();
        for (String name : List.of("search", "ordering", "is_allow", "updated_from")) {
            Invocation.invoke(list, ProxyEvent.request("GET", "/").resource(Route.COLLECTION).query(name, hostile));
        }
        Invocation.invoke(list, ProxyEvent.request("GET", "/").resource(Route.COLLECTION).query("has_email", "false")
                .query("is_allow", "true").query("updated_to", "2030-01-01").query("search", "09123456789"));
        Invocation.invoke(update, ProxyEvent.request("PATCH", "/").resource(Route.ITEM).pathParameter("id", "1")
                .jsonBody("{\"email\": null, \"mobile_number\": \"09123456789\", \"valid_to\": \"2031-01-01\"}"));
        Invocation.invoke(update, ProxyEvent.request("PATCH", "/").resource(Route.ITEM).pathParameter("id", "1")
                .jsonBody("{\"email\": \"e@example.com\"}"));

        List<String> expressions = new ArrayList<>();
        for (SdkRequest request : recorder.requests) {
            if (request instanceof QueryRequest) {
                expressions.add(((QueryRequest) request).keyConditionExpression());
                expressions.add(((QueryRequest) request).filterExpression());
            } else if (request instanceof ScanRequest) {
                expressions.add(((ScanRequest) request).filterExpression());
            } else if (request instanceof UpdateItemRequest) {
                expressions.add(((UpdateItemRequest) request).updateExpression());
                expressions.add(((UpdateItemRequest) request).conditionExpression());
            } else if (request instanceof PutItemRequest put) {
                expressions.add(put.conditionExpression());
            } else if (request instanceof TransactWriteItemsRequest transaction) {
                for (TransactWriteItem write : transaction.transactItems()) {
                    if (write.put() != null) {
                        expressions.add(write.put().conditionExpression());
                    }
                    if (write.update() != null) {
                        expressions.add(write.update().updateExpression());
                        expressions.add(write.update().conditionExpression());
                    }
                }
            }
        }
        expressions.removeIf(e -> e == null);

        assertThat(recorder.requests).hasAtLeastOneElementOfType(QueryRequest.class).hasAtLeastOneElementOfType(ScanRequest.class)
                .hasAtLeastOneElementOfType(UpdateItemRequest.class).hasAtLeastOneElementOfType(TransactWriteItemsRequest.class);
        assertThat(expressions).isNotEmpty().allSatisfy(e -> {
            assertThat(e).matches(SAFE_EXPRESSION);
            assertThat(e).doesNotContain("09123456789").doesNotContain("x)");
        });
    }

    @Test
    void theAuthorizer_doesTheSameWork_whetherATokenExistsOrNot() throws Exception {
        TestStack stack = LocalDynamoDb.newStack();
        Recorder recorder = new Recorder();
        DynamoDbClient client = recordingClient(recorder);
        String known = new Tokens(new DynamoDbTokenRepository(stack.dynamoDb(), stack.settings().tokenTableName()),
                Clock.systemUTC()).issue("known", true, false, Set.of());
        var authorizer = FunctionLoader.load("io.otpcodes.handler.TokenAuthorizerHandler", stack.settings(), client);

        List<List<String>> work = new ArrayList<>();
        for (String token : List.of(known, TokenHash.newToken(), "not-even-hex")) {
            recorder.requests.clear();
            try {
                authorizer.handleRequest(new ByteArrayInputStream(io.otpcodes.json.Json.writeBytes(Map.of(
                        "methodArn", "arn:aws:execute-api:local:0:api/api/GET/api/notifications/otp",
                        "headers", Map.of("Authorization", "Token " + token)))), new ByteArrayOutputStream(), null);
            } catch (RuntimeException unauthenticated) {
                // the unknown tokens
            }
            List<String> calls = new ArrayList<>();
            for (SdkRequest request : recorder.requests) {
                calls.add(request.getClass().getSimpleName() + " " + ((GetItemRequest) request).key().keySet());
            }
            work.add(calls);
        }

        assertThat(work.get(0)).hasSize(1);
        assertThat(work).allSatisfy(calls -> assertThat(calls).isEqualTo(work.get(0)));
    }

    @Test
    void aFullScenario_logsNoTokenHashOrCode() throws Exception {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        ByteArrayOutputStream runtimeLog = new ByteArrayOutputStream();
        List<String> secrets = new ArrayList<>();
        try (PrintStream capture = new PrintStream(console, true, StandardCharsets.UTF_8);
                LocalRuntime runtime = LocalRuntime.start(new LocalRuntime.Options(LocalDynamoDb.freePort(), 0,
                        LocalDynamoDb.freePort(), null, Map.of(), null), new PrintStream(runtimeLog, true, StandardCharsets.UTF_8))) {
            String admin = ApiCalls.adminToken(runtimeLog);
            runtimeLog.reset(); // the first-start banner prints the admin token by design; logs start here
            System.setOut(capture);
            System.setErr(capture);
            Tokens tokens = new Tokens(new DynamoDbTokenRepository(DynamoDbClients.create(Settings.fromEnvironment(Map.of(
                    "DYNAMODB_ENDPOINT", runtime.dynamoDbEndpoint()))), "TokensTable"), Clock.systemUTC());
            String staff = tokens.issue("staff", false, true, EnumSet.of(Permission.VIEW));
            String unknown = TokenHash.newToken();
            for (String token : List.of(admin, staff, unknown)) {
                secrets.add(token);
                secrets.add(TokenHash.sha256(token));
            }
            HttpClient http = HttpClient.newHttpClient();
            List<String> codes = List.of("731945826", "684201937", "592817364");
            secrets.addAll(codes);
            for (String code : codes) {
                for (String token : List.of(admin, staff, unknown)) {
                    ApiCalls.send(http, "POST", runtime.apiUrl(), token, "{\"code\": " + code + ", \"email\": \"s" + code + "@x.ir\"}");
                    ApiCalls.send(http, "POST", runtime.apiUrl(), token, "{\"code\": \"" + code + "x\", \"email\": \"bad\"}");
                    ApiCalls.send(http, "GET", runtime.apiUrl() + "?search=" + code, token, null);
                    ApiCalls.send(http, "PATCH", runtime.apiUrl() + "1/", token, "{\"code\": " + code + "}");
                }
            }
            ApiCalls.send(http, "GET", runtime.apiUrl(), null, null);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        String logs = runtimeLog.toString(StandardCharsets.UTF_8) + console.toString(StandardCharsets.UTF_8);

        assertThat(logs).contains("\"route\":\"POST /api/notifications/otp\"").contains("\"route\":\"authorizer\"");
        for (String secret : secrets) {
            assertThat(logs).as("logs hold a secret").doesNotContain(secret);
        }
    }
}
