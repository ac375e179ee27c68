package io.otpcodes.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.otpcodes.api.Route;
import io.otpcodes.json.Json;
import io.otpcodes.local.SamTemplate;
import io.otpcodes.local.testing.LocalDynamoDb;
import io.otpcodes.local.testing.TestStack;
import io.otpcodes.store.CounterTableSchema;
import io.otpcodes.store.IdBuckets;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Each function's IAM grants in template.yaml are exactly the DynamoDB actions it calls: its
 * SnapStart priming and a workload through every plan, recorded from the SDK's requests (a
 * transaction counts as its items' actions, as IAM judges it). A priming call the role does
 * not allow would be AccessDenied on AWS and skip the rest of the priming; a grant nothing
 * calls is privilege to take away.
 */
class RolePermissionsTest {

    /** "dynamodb:Action on Resource", the resource as the template names it: a table or its indexes. */
    static final class Recorder implements ExecutionInterceptor {
        final Set<String> calls = new ConcurrentSkipListSet<>();
        private final String prefix;

        Recorder(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            Object request = context.request();
            if (request instanceof GetItemRequest r) {
                add("GetItem", r.tableName(), null);
            } else if (request instanceof PutItemRequest r) {
                add("PutItem", r.tableName(), null);
            } else if (request instanceof UpdateItemRequest r) {
                add("UpdateItem", r.tableName(), null);
            } else if (request instanceof QueryRequest r) {
                add("Query", r.tableName(), r.indexName());
            } else if (request instanceof ScanRequest r) {
                add("Scan", r.tableName(), r.indexName());
            } else if (request instanceof BatchGetItemRequest r) {
                r.requestItems().keySet().forEach(table -> add("BatchGetItem", table, null));
            } else if (request instanceof TransactWriteItemsRequest r) {
                for (TransactWriteItem item : r.transactItems()) {
                    if (item.put() != null) {
                        add("PutItem", item.put().tableName(), null);
                    }
                    if (item.update() != null) {
                        add("UpdateItem", item.update().tableName(), null);
                    }
                    if (item.conditionCheck() != null) {
                        add("ConditionCheckItem", item.conditionCheck().tableName(), null);
                    }
                    if (item.delete() != null) {
                        add("DeleteItem", item.delete().tableName(), null);
                    }
                }
            } else {
                calls.add("unexpected " + request.getClass().getSimpleName());
            }
        }

        private void add(String action, String table, String index) {
            String logicalId = table.startsWith(prefix) ? table.substring(prefix.length()) : table;
            calls.add("dynamodb:" + action + " on " + logicalId + (index == null ? "" : "/index/*"));
        }
    }

    static Stream<Arguments> functions() {
        return Stream.of(
                Arguments.of(Route.Function.LIST.logicalId()),
                Arguments.of(Route.Function.CREATE.logicalId()),
                Arguments.of(Route.Function.UPDATE.logicalId()),
                Arguments.of("AuthorizerFunction"));
    }

    @ParameterizedTest
    @MethodSource("functions")
    void grantsOfTheTemplate_areExactlyTheCallsTheFunctionMakes(String function) {
        TestStack stack = LocalDynamoDb.newStack();
        Recorder recorder = new Recorder(stack.prefix());
        DynamoDbClient recorded = DynamoDbClient.builder()
                .endpointOverride(LocalDynamoDb.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.addExecutionInterceptor(recorder))
                .build();
        RequestStreamHandler seed = new CreateOtpCodeHandler(stack.settings(), stack.dynamoDb());
        switch (function) {
            case "ListOtpCodesFunction" -> {
                invoke(seed, "{\"code\": 1, \"mobile_number\": \"09121234567\"}");
                // the next code in the second coarse bucket: a list then folds the stripes of the first
                stack.dynamoDb().updateItem(r -> r.tableName(stack.settings().counterTableName())
                        .key(Map.of(CounterTableSchema.NAME, AttributeValue.fromS(CounterTableSchema.OTP_CODE_ID)))
                        .updateExpression("SET #value = :last")
                        .expressionAttributeNames(Map.of("#value", CounterTableSchema.VALUE))
                        .expressionAttributeValues(Map.of(":last", AttributeValue.fromN(
                                Long.toString(IdBuckets.DEFAULT.coarse() - 1)))));
                invoke(seed, "{\"code\": 2, \"email\": \"a@example.com\"}");
                ListOtpCodesHandler handler = new ListOtpCodesHandler(stack.settings(), recorded);
                Priming.run(handler, ListOtpCodesHandler.primingEvents());
                Functions.otpCodeService(stack.settings(), recorded).warmUp(ListOtpCodesHandler.STORE_USE);
                for (String query : List.of("{}", "{\"ordering\": \"-id\"}", "{\"id_min\": 1}",
                        "{\"mobile_number\": \"09121234567\"}", "{\"email\": \"a@example.com\"}", "{\"search\": \"0912\"}",
                        "{\"ordering\": \"-code\"}", "{\"is_allow\": true}", "{\"id\": 1}")) {
                    invoke(handler, query);
                }
            }
            case "CreateOtpCodeFunction" -> {
                CreateOtpCodeHandler handler = new CreateOtpCodeHandler(stack.settings(), recorded);
                Priming.run(handler, CreateOtpCodeHandler.primingEvents());
                Functions.otpCodeService(stack.settings(), recorded).warmUp(CreateOtpCodeHandler.STORE_USE);
                invoke(handler, "{\"code\": 1, \"mobile_number\": \"09121234567\"}");
                invoke(handler, "{\"code\": 2, \"email\": \"a@example.com\"}");
            }
            case "UpdateOtpCodeFunction" -> {
                invoke(seed, "{\"code\": 1, \"mobile_number\": \"09121234567\"}");
                UpdateOtpCodeHandler handler = new UpdateOtpCodeHandler(stack.settings(), recorded);
                Priming.run(handler, UpdateOtpCodeHandler.primingEvents());
                Functions.otpCodeService(stack.settings(), recorded).warmUp(UpdateOtpCodeHandler.STORE_USE);
                invoke(handler, "{\"id\": 1, \"code\": 5}");
                invoke(handler, "{\"id\": 1, \"valid_to\": \"2035-01-01T00:00:00Z\"}");
                invoke(handler, "{\"id\": 99, \"code\": 5}");
            }
            default -> {
                TokenAuthorizerHandler handler = new TokenAuthorizerHandler(stack.settings(), recorded);
                Priming.run(handler, TokenAuthorizerHandler.primingEvents());
            }
        }

        assertThat(new TreeSet<>(recorder.calls)).as(function + ": its calls against its grants")
                .isEqualTo(new TreeSet<>(grants(function)));
    }

    private static void invoke(RequestStreamHandler handler, String payload) {
        try {
            handler.handleRequest(new ByteArrayInputStream(payload.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                    new ByteArrayOutputStream(), null);
        } catch (DirectInvocationError expected) {
            // a 404 or a refusal is a call made all the same
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The template's statements of a function, as "action on resource" pairs. */
    static Set<String> grants(String function) {
        Set<String> grants = new TreeSet<>();
        SamTemplate template = LocalDynamoDb.template();
        for (Object policy : SamTemplate.list(template.function(function).properties().get("Policies"))) {
            for (Object value : SamTemplate.list(SamTemplate.map(policy).get("Statement"))) {
                Map<String, Object> statement = SamTemplate.map(value);
                assertThat(statement.get("Effect")).isEqualTo("Allow");
                List<Object> resources = statement.get("Resource") instanceof List<?> list ? new ArrayList<>(list)
                        : List.of(statement.get("Resource"));
                List<Object> actions = statement.get("Action") instanceof List<?> list ? new ArrayList<>(list)
                        : List.of(statement.get("Action"));
                for (Object resource : resources) {
                    for (Object action : actions) {
                        grants.add(action + " on " + resource(resource));
                    }
                }
            }
        }
        return grants;
    }

    /** {@code !GetAtt T.Arn} is T; {@code !Sub "${T.Arn}/index/*"} is T/index/*; anything else fails. */
    private static String resource(Object resource) {
        Map<String, Object> intrinsic = SamTemplate.map(resource);
        if (intrinsic.get("Fn::GetAtt") instanceof List<?> getAtt && getAtt.size() == 2 && "Arn".equals(getAtt.get(1))) {
            return String.valueOf(getAtt.get(0));
        }
        if (intrinsic.get("Fn::Sub") instanceof String sub && sub.matches("\\$\\{\\w+\\.Arn}/index/\\*")) {
            return sub.substring(2, sub.indexOf('.')) + "/index/*";
        }
        throw new AssertionError("not a table or its indexes: " + Json.write(resource));
    }
}
