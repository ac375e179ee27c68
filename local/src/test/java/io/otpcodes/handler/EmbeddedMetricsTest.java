package io.otpcodes.handler;

import static io.otpcodes.local.testing.FaultyDynamoDbProxy.Fault.NONE;
import static io.otpcodes.local.testing.FaultyDynamoDbProxy.Fault.THROTTLE;
import static io.otpcodes.local.testing.FaultyDynamoDbProxy.Fault.TRANSACTION_CONFLICT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.otpcodes.api.Route;
import io.otpcodes.config.Settings;
import io.otpcodes.json.Json;
import io.otpcodes.local.ProxyEvent;
import io.otpcodes.local.SamTemplate;
import io.otpcodes.local.testing.FaultyDynamoDbProxy;
import io.otpcodes.local.testing.Invocation;
import io.otpcodes.local.testing.LocalDynamoDb;
import io.otpcodes.local.testing.TestStack;
import io.otpcodes.store.DynamoDbClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The functions' request lines are CloudWatch Embedded Metric Format records: every metric and
 * dimension they name is there, and the numbers are what the request made DynamoDB do,
 * through a proxy that throttles and conflicts on demand.
 */
class EmbeddedMetricsTest {

    private TestStack stack;
    private FaultyDynamoDbProxy proxy;
    private DynamoDbClient dynamoDb;
    private Settings settings;
    private final StringBuilder log = new StringBuilder();

    @BeforeEach
    void setUp() throws Exception {
        stack = LocalDynamoDb.newStack();
        proxy = new FaultyDynamoDbProxy(LocalDynamoDb.endpoint());
        settings = stack.settings(Map.of(Settings.Variable.DYNAMODB_ENDPOINT.name(), proxy.endpoint().toString(),
                Settings.Variable.POWERTOOLS_METRICS_NAMESPACE.name(), "TestNamespace",
                Settings.Variable.POWERTOOLS_SERVICE_NAME.name(), "test-otp"));
        dynamoDb = DynamoDbClients.create(settings, Duration.ofMillis(400), Duration.ofSeconds(4));
    }

    @AfterEach
    void tearDown() {
        dynamoDb.close();
        proxy.close();
    }

    private Invocation.Response create(String body) {
        return Invocation.invoke(new CreateOtpCodeHandler(settings, dynamoDb),
                ProxyEvent.request("POST", "/api/notifications/otp/").resource(Route.COLLECTION).jsonBody(body),
                Invocation.context("CreateOtpCodeFunction", log));
    }

    private Invocation.Response list(String name, String value) {
        return Invocation.invoke(new ListOtpCodesHandler(settings, dynamoDb),
                ProxyEvent.request("GET", "/api/notifications/otp/").resource(Route.COLLECTION).query(name, value),
                Invocation.context("ListOtpCodesFunction", log));
    }

    /** Every log line so far, parsed; each must be an EMF record whose directives name only members it has. */
    private List<Map<String, Object>> lines() {
        List<Map<String, Object>> lines = new ArrayList<>();
        for (String text : log.toString().split("\n")) {
            Map<String, Object> line = ApiHandler.asObject(Json.parse(text));
            if (line.containsKey("_aws")) {
                assertValidEmf(line);
            }
            lines.add(line);
        }
        return lines;
    }

    private Map<String, Object> lastLine() {
        List<Map<String, Object>> lines = lines();
        return lines.get(lines.size() - 1);
    }

    @SuppressWarnings("unchecked")
    static void assertValidEmf(Map<String, Object> line) {
        Map<String, Object> aws = (Map<String, Object>) line.get("_aws");
        assertThat(aws.get("Timestamp")).isInstanceOf(Long.class);
        List<Map<String, Object>> directives = (List<Map<String, Object>>) aws.get("CloudWatchMetrics");
        assertThat(directives).isNotEmpty();
        for (Map<String, Object> directive : directives) {
            assertThat(directive.get("Namespace")).isInstanceOf(String.class);
            for (List<String> set : (List<List<String>>) directive.get("Dimensions")) {
                assertThat(set).isNotEmpty().hasSizeLessThanOrEqualTo(30).isSubsetOf(EmbeddedMetrics.DIMENSIONS);
                set.forEach(dimension -> assertThat(line.get(dimension)).as(dimension).isInstanceOf(String.class));
            }
            for (Map<String, Object> metric : (List<Map<String, Object>>) directive.get("Metrics")) {
                assertThat(line.get((String) metric.get("Name"))).as((String) metric.get("Name"))
                        .isInstanceOfAny(Long.class, Json.JsonFloat.class);
                assertThat(metric.get("Unit")).isIn("Count", "Milliseconds");
                assertThat(EmbeddedMetrics.METRICS).contains((String) metric.get("Name"));
            }
        }
    }

    private static double number(Map<String, Object> line, String name) {
        return line.get(name) instanceof Json.JsonFloat f ? f.doubleValue() : ((Long) line.get(name)).doubleValue();
    }

    @SuppressWarnings("unchecked")
    private static List<String> namespaces(Map<String, Object> line) {
        return ((List<Map<String, Object>>) ((Map<String, Object>) line.get("_aws")).get("CloudWatchMetrics")).stream()
                .map(d -> (String) d.get("Namespace")).toList();
    }

    @Test
    void aCreate_logsOneMetricsRecord_ofItsRoute_withTheWriteUnitsDynamoDbReported() {
        assertThat(create("{\"code\": 1, \"email\": \"a@b.ir\"}").status()).isEqualTo(201);

        Map<String, Object> line = lastLine();
        assertThat(namespaces(line)).containsOnly("TestNamespace");
        assertThat(line).containsEntry("Service", "test-otp").containsEntry("Route", "POST " + Route.COLLECTION)
                .containsEntry("StatusClass", "2xx").containsEntry("Requests", 1L).containsEntry("ServerErrors", 0L)
                .containsEntry("ClientErrors", 0L).containsEntry("TransactionConflicts", 0L).containsEntry("Retries", 0L);
        // the counter's ADD and the create's transaction of several items
        assertThat(number(line, "WriteUnits")).isGreaterThanOrEqualTo(3);
        assertThat(line.get("Latency")).isInstanceOf(Long.class);
        assertThat(log.toString()).doesNotContain("a@b.ir");
    }

    @Test
    void throttledAttempts_areCounted_withTheSdksRetriesOfThem() {
        proxy.rule((op, attempt) -> op.equals("TransactWriteItems") && attempt <= 2 ? THROTTLE : NONE);
        assertThat(create("{\"code\": 1, \"email\": \"a@b.ir\"}").status()).isEqualTo(201);
        Map<String, Object> retried = lastLine();

        proxy.rule((op, attempt) -> op.equals("TransactWriteItems") ? THROTTLE : NONE);
        assertThat(create("{\"code\": 2, \"email\": \"a@b.ir\"}").status()).isEqualTo(503);
        Map<String, Object> refused = lastLine();

        assertThat(retried).containsEntry("Retries", 2L).containsEntry("Throttles", 2L).containsEntry("ServerErrors", 0L);
        assertThat(refused).containsEntry("ServerErrors", 1L).containsEntry("StatusClass", "5xx");
        assertThat(number(refused, "Throttles")).isGreaterThan(1).isEqualTo(number(refused, "Retries") + 1);
    }

    @Test
    void aTransactionConflict_isCounted_withTheStoresRetryOfIt() {
        proxy.rule((op, attempt) -> op.equals("TransactWriteItems") && attempt == 1 ? TRANSACTION_CONFLICT : NONE);

        assertThat(create("{\"code\": 1, \"email\": \"a@b.ir\"}").status()).isEqualTo(201);

        assertThat(lastLine()).containsEntry("TransactionConflicts", 1L).containsEntry("Retries", 1L);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aList_isAlsoCountedByItsPlan_withItsReadUnits() {
        create("{\"code\": 1, \"email\": \"a@b.ir\"}");

        assertThat(list("ordering", "-id").status()).isEqualTo(200);
        Map<String, Object> line = lastLine();

        assertThat(line).containsEntry("Plan", "Summary").containsEntry("Route", "GET " + Route.COLLECTION);
        List<Map<String, Object>> directives = (List<Map<String, Object>>) ((Map<String, Object>) line.get("_aws"))
                .get("CloudWatchMetrics");
        assertThat((List<List<String>>) directives.get(0).get("Dimensions")).contains(List.of("Service", "Plan"));
        assertThat(number(line, "ReadUnits")).isPositive();
        assertThat(number(line, "WriteUnits")).isZero();
    }

    @Test
    void aDirectInvocation_isCountedOnTheRouteDirect_withTheStatusTheApiWouldHaveAnswered() {
        CreateOtpCodeHandler handler = new CreateOtpCodeHandler(settings, dynamoDb);

        Invocation.invoke(handler, Json.writeBytes(Map.of("code", 5, "email", "d@b.ir")),
                Invocation.context("CreateOtpCodeFunction", log));
        Map<String, Object> created = lastLine();
        assertThatThrownBy(() -> Invocation.invoke(handler, Json.writeBytes(Map.of("code", true)),
                Invocation.context("CreateOtpCodeFunction", log))).isInstanceOf(ValidationError.class);
        Map<String, Object> refused = lastLine();

        assertThat(created).containsEntry("Route", ApiHandler.DIRECT_ROUTE).containsEntry("outcome", "OK")
                .containsEntry("StatusClass", "2xx").containsEntry("ServerErrors", 0L);
        assertThat(number(created, "WriteUnits")).isGreaterThanOrEqualTo(3);
        assertThat(refused).containsEntry("outcome", "ValidationError").containsEntry("StatusClass", "4xx")
                .containsEntry("ClientErrors", 1L);
    }

    @Test
    void theFirstRequestOfAnEnvironment_reportsItsColdStart_once() {
        ColdStart.restored();

        create("{\"code\": 1, \"email\": \"a@b.ir\"}");
        Map<String, Object> first = lastLine();
        create("{\"code\": 2, \"email\": \"a@b.ir\"}");
        Map<String, Object> second = lastLine();

        assertThat(first).containsEntry("ColdStart", 1L).containsEntry("Function", "CreateOtpCodeFunction");
        assertThat(first.get("InitDuration")).isInstanceOf(Long.class);
        assertThat(second).doesNotContainKeys("ColdStart", "InitDuration");
    }

    @Test
    void aRequestWithoutALambdaContext_asPrimingMakesIt_logsNothing_andLeavesTheColdStartPending() {
        ColdStart.restored();

        Invocation.invoke(new CreateOtpCodeHandler(settings, dynamoDb),
                ProxyEvent.request("POST", "/api/notifications/otp/").resource(Route.COLLECTION).jsonBody("{\"code\": true}"));
        create("{\"code\": 1, \"email\": \"a@b.ir\"}");

        assertThat(lines()).hasSize(1);
        assertThat(lastLine()).containsEntry("ColdStart", 1L);
    }

    @Test
    void theAuthorizer_logsItsOutcome_andAnErrorWhenDynamoDbFails() {
        TokenAuthorizerHandler authorizer = new TokenAuthorizerHandler(settings, dynamoDb);
        byte[] event = Json.writeBytes(Map.of("type", "REQUEST",
                "methodArn", "arn:aws:execute-api:eu-central-1:123456789012:abc/api/GET/api/notifications/otp",
                "headers", Map.of("Authorization", "Token 0000000000000000000000000000000000000000")));

        assertThatThrownBy(() -> Invocation.invoke(authorizer, event, Invocation.context("AuthorizerFunction", log)))
                .hasMessage("Unauthorized");
        Map<String, Object> refused = lastLine();
        proxy.rule((op, attempt) -> THROTTLE);
        assertThatThrownBy(() -> Invocation.invoke(authorizer, event, Invocation.context("AuthorizerFunction", log)));
        Map<String, Object> failed = lastLine();

        assertThat(refused).containsEntry("Route", "authorizer").containsEntry("Outcome", "unauthenticated")
                .containsEntry("Service", "test-otp");
        assertThat(number(refused, "ReadUnits")).isPositive();
        assertThat(failed).containsEntry("Outcome", "error").containsEntry("level", "ERROR");
        assertThat(number(failed, "Throttles")).isPositive();
    }

    /** The alarms and the dashboard read the functions' own metrics by the names and dimensions the lines carry. */
    @Test
    void theTemplatesAlarmsAndDashboard_nameOnlyMetricsAndDimensionsTheLinesCarry() {
        SamTemplate template = SamTemplate.load();
        Map<String, Map<String, Object>> alarms = template.resources("AWS::CloudWatch::Alarm");
        int own = 0;
        for (Map.Entry<String, Map<String, Object>> alarm : alarms.entrySet()) {
            Map<String, Object> properties = SamTemplate.map(alarm.getValue().get("Properties"));
            assertThat(properties.get("AlarmActions")).as(alarm.getKey()).isEqualTo(List.of(Map.of("Ref", "AlarmTopic")));
            if (!Map.of("Ref", "MetricsNamespace").equals(properties.get("Namespace"))) {
                continue;
            }
            own++;
            assertThat(EmbeddedMetrics.METRICS).as(alarm.getKey()).contains((String) properties.get("MetricName"));
            for (Object dimension : SamTemplate.list(properties.get("Dimensions"))) {
                Map<String, Object> d = SamTemplate.map(dimension);
                assertThat(EmbeddedMetrics.DIMENSIONS).contains((String) d.get("Name"));
                if (d.get("Name").equals(EmbeddedMetrics.SERVICE)) {
                    assertThat(d.get("Value")).isEqualTo(Map.of("Ref", "ServiceName"));
                }
                if (d.get("Name").equals(EmbeddedMetrics.OUTCOME)) {
                    assertThat(d.get("Value")).isEqualTo(TokenAuthorizerHandler.ERROR_OUTCOME);
                }
            }
        }
        assertThat(own).isGreaterThanOrEqualTo(3);

        Object sub = SamTemplate.map(template.properties("Dashboard").get("DashboardBody")).get("Fn::Sub");
        String body = (String) SamTemplate.list(sub).get(0);
        Matcher named = Pattern.compile("MetricName=\\\\\"(\\w+)\\\\\"|\"\\$\\{MetricsNamespace}\", \"(\\w+)\"|\\[\"\\.\", \"(\\w+)\"")
                .matcher(body);
        int names = 0;
        while (named.find()) {
            String name = named.group(1) != null ? named.group(1) : named.group(2) != null ? named.group(2) : named.group(3);
            assertThat(EmbeddedMetrics.METRICS).as("dashboard").contains(name);
            names++;
        }
        assertThat(names).isGreaterThanOrEqualTo(10);
        Matcher searched = Pattern.compile("\\{\\$\\{MetricsNamespace},([\\w,]+)}").matcher(body);
        while (searched.find()) {
            assertThat(EmbeddedMetrics.DIMENSIONS).containsAll(List.of(searched.group(1).split(",")));
        }
    }
}
