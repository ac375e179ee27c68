package io.otpcodes.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.otpcodes.api.Route;
import io.otpcodes.auth.TokenTableSchema;
import io.otpcodes.domain.Messages;
import io.otpcodes.handler.TokenAuthorizerHandler;
import io.otpcodes.config.Settings;
import io.otpcodes.store.CounterTableSchema;
import io.otpcodes.store.OtpTableSchema;
import io.otpcodes.store.SummaryTableSchema;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;

/** template.yaml against the code: what the code reads and names must be what the template declares. */
class TemplateTest {

    static final String AUTHORIZER = "AuthorizerFunction";

    private final SamTemplate template = SamTemplate.load();

    @Test
    void everyHandler_isAStreamHandlerTheLambdaRuntimeCanCreate() throws Exception {
        for (SamTemplate.Function function : template.functions()) {
            assertThat(function.handler()).endsWith("::handleRequest");
            Class<?> type = Class.forName(function.handlerClass());
            assertThat(RequestStreamHandler.class).isAssignableFrom(type);
            assertThat(Modifier.isPublic(type.getConstructor().getModifiers())).isTrue();
            assertThat(type.getConstructor(Settings.class, DynamoDbClient.class)).isNotNull();
            // the runtime calls handleRequest reflectively on its declaring class: it must be public
            Class<?> declaring = type.getMethod("handleRequest", java.io.InputStream.class, java.io.OutputStream.class,
                    com.amazonaws.services.lambda.runtime.Context.class).getDeclaringClass();
            assertThat(Modifier.isPublic(declaring.getModifiers())).as(declaring.getName()).isTrue();
        }
    }

    @Test
    void routes_areExactlyTheContractsWithTheirFunctions() {
        Set<String> declared = new HashSet<>();
        for (SamTemplate.Function function : template.functions()) {
            for (SamTemplate.ApiEvent event : function.events()) {
                declared.add(event.method() + " " + event.path() + " -> " + function.logicalId());
            }
        }
        Set<String> routes = new HashSet<>();
        for (Route route : Route.values()) {
            routes.add(route.method() + " " + route.resource() + " -> " + route.function().logicalId());
        }

        assertThat(declared).isEqualTo(routes);
        for (Route.Function function : Route.Function.values()) {
            assertThat(template.function(function.logicalId()).handlerClass()).isEqualTo(function.handlerClass());
        }
    }

    @Test
    void everyVariableTheCodeReads_isDeclaredForEveryFunction_withTheCodesDefault() {
        for (SamTemplate.Function function : template.functions()) {
            Map<String, Object> env = template.rawEnvironment(function.logicalId());
            for (Settings.Variable variable : Settings.Variable.values()) {
                if (variable == Settings.Variable.DYNAMODB_ENDPOINT) {
                    assertThat(env).as("DYNAMODB_ENDPOINT is for local runs only").doesNotContainKey(variable.name());
                    continue;
                }
                if (variable == Settings.Variable.TOKEN_TABLE_NAME && !env.containsKey(variable.name())) {
                    continue; // only the authorizer reads tokens
                }
                assertThat(env).as(function.logicalId() + " " + variable).containsKey(variable.name());
                if (variable.name().endsWith("_TABLE_NAME")) {
                    continue;
                }
                Map<String, String> resolved = template.environment(function.logicalId(), "");
                assertThat(resolved.get(variable.name())).as(variable.name()).isEqualTo(variable.defaultValue());
            }
        }
    }

    @Test
    void tableVariables_referToTheirTables() {
        Map<String, String> env = template.environment(Route.Function.CREATE.logicalId(), "");
        assertThat(env.get(Settings.Variable.OTP_TABLE_NAME.name())).isEqualTo("OtpCodesTable");
        assertThat(env.get(Settings.Variable.COUNTER_TABLE_NAME.name())).isEqualTo("CountersTable");
    }

    @Test
    void authorizer_guardsEveryRoute_cachedByTheAuthorizationHeader() {
        Map<String, Object> api = template.properties("OtpApi");
        Map<String, Object> auth = SamTemplate.map(api.get("Auth"));
        assertThat(auth.get("DefaultAuthorizer")).isEqualTo("TokenAuthorizer");
        Map<String, Object> authorizer = SamTemplate.map(SamTemplate.map(auth.get("Authorizers")).get("TokenAuthorizer"));
        assertThat(authorizer).containsEntry("FunctionPayloadType", "REQUEST")
                .containsEntry("FunctionArn", Map.of("Ref", AUTHORIZER + ".Alias"));
        Map<String, Object> identity = SamTemplate.map(authorizer.get("Identity"));
        assertThat(identity.get("Headers")).isEqualTo(List.of("Authorization"));
        assertThat(identity.get("ReauthorizeEvery")).isEqualTo(Map.of("Ref", "AuthorizerCacheTtl"));
        assertThat(template.parameterDefault("AuthorizerCacheTtl")).isEqualTo("60");
        assertThat(template.function(AUTHORIZER).handlerClass()).isEqualTo(TokenAuthorizerHandler.class.getName());
        assertThat(template.environment(AUTHORIZER, "")).containsEntry("TOKEN_TABLE_NAME", "TokensTable");
        assertThat(table("TokensTable").keySchema()).containsExactly(key(TokenTableSchema.TOKEN_HASH, "HASH"));
    }

    @Test
    void gatewayResponses_areDrfShaped() {
        Map<String, Object> responses = SamTemplate.map(template.properties("OtpApi").get("GatewayResponses"));
        Map<String, Object> unauthorized = SamTemplate.map(responses.get("UNAUTHORIZED"));
        assertThat(unauthorized.get("StatusCode")).isEqualTo(401);
        assertThat(SamTemplate.map(SamTemplate.map(unauthorized.get("ResponseParameters")).get("Headers")))
                .containsEntry("WWW-Authenticate", "'Token'");
        assertThat(body(responses, "UNAUTHORIZED")).isEqualTo(Map.of("detail", Messages.INVALID_TOKEN));
        assertThat(body(responses, "ACCESS_DENIED")).isEqualTo(Map.of("detail", Messages.PERMISSION_DENIED));
        assertThat(body(responses, "MISSING_AUTHENTICATION_TOKEN")).isEqualTo(Map.of("detail", Messages.NOT_FOUND));
        assertThat(body(responses, "AUTHORIZER_FAILURE")).isEqualTo(Map.of("detail", Messages.SERVICE_UNAVAILABLE));
        assertThat(body(responses, "DEFAULT_5XX")).isEqualTo(Map.of("detail", Messages.SERVER_ERROR));
        assertThat(SamTemplate.map(responses.get("AUTHORIZER_FAILURE")).get("StatusCode")).isEqualTo(503);
    }

    private static Object body(Map<String, Object> responses, String type) {
        String template = (String) SamTemplate.map(SamTemplate.map(responses.get(type)).get("ResponseTemplates"))
                .get("application/json");
        return io.otpcodes.json.Json.parse(template);
    }

    @Test
    void otpTable_hasTheCodesKeysIndexesAndTtl() {
        CreateTableRequest table = table("OtpCodesTable");

        assertThat(table.keySchema()).containsExactly(key(OtpTableSchema.ID, "HASH"));
        assertThat(table.attributeDefinitions()).anyMatch(a -> a.attributeName().equals(OtpTableSchema.ID)
                && a.attributeTypeAsString().equals("N"));
        Map<String, List<KeySchemaElement>> indexes = table.globalSecondaryIndexes().stream()
                .collect(Collectors.toMap(GlobalSecondaryIndex::indexName, GlobalSecondaryIndex::keySchema));
        // no index on id_bucket: no list reads one, and each would cost every create and PATCH a write unit
        assertThat(indexes).containsOnlyKeys(OtpTableSchema.MOBILE_NUMBER_INDEX, OtpTableSchema.EMAIL_INDEX);
        assertThat(indexes.get(OtpTableSchema.MOBILE_NUMBER_INDEX))
                .containsExactly(key(OtpTableSchema.MOBILE_NUMBER, "HASH"), key(OtpTableSchema.ID, "RANGE"));
        assertThat(indexes.get(OtpTableSchema.EMAIL_INDEX))
                .containsExactly(key(OtpTableSchema.EMAIL_KEY, "HASH"), key(OtpTableSchema.ID, "RANGE"));
        assertThat(table.globalSecondaryIndexes()).allMatch(i -> i.projection().projectionTypeAsString().equals("ALL"));
        assertThat(template.timeToLiveAttribute("OtpCodesTable")).isEqualTo(OtpTableSchema.EXPIRES_AT);
    }

    @Test
    void summaryTable_isKeyedByPartAndBucket_andNamedToEveryFunctionThatWritesOrListsCodes() {
        assertThat(table("SummariesTable").keySchema()).containsExactly(key(SummaryTableSchema.PART, "HASH"),
                key(SummaryTableSchema.BUCKET, "RANGE"));
        for (Route.Function function : Route.Function.values()) {
            assertThat(template.environment(function.logicalId(), ""))
                    .containsEntry(Settings.Variable.SUMMARY_TABLE_NAME.name(), "SummariesTable");
        }
    }

    @Test
    void counterTable_isKeyedByTheSequenceName() {
        assertThat(table("CountersTable").keySchema()).containsExactly(key(CounterTableSchema.NAME, "HASH"));
    }

    @Test
    void everyTable_isOnDemandRecoverableAndProtected() {
        for (String logicalId : template.resources("AWS::DynamoDB::Table").keySet()) {
            Map<String, Object> properties = template.properties(logicalId);
            assertThat(properties.get("BillingMode")).as(logicalId).isEqualTo("PAY_PER_REQUEST");
            assertThat(properties.get("DeletionProtectionEnabled")).as(logicalId).isEqualTo(true);
            assertThat(SamTemplate.map(properties.get("PointInTimeRecoverySpecification")))
                    .as(logicalId).containsEntry("PointInTimeRecoveryEnabled", true);
            assertThat(SamTemplate.map(template.raw().get("Resources")).get(logicalId))
                    .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                    .containsEntry("DeletionPolicy", "Retain");
        }
    }

    @Test
    void functions_runJava21OnArm64WithActiveTracingJsonLogsAndSwitchableSnapStart() {
        Map<String, Object> globals = SamTemplate.map(SamTemplate.map(template.raw().get("Globals")).get("Function"));
        assertThat(globals).containsEntry("Runtime", "java21")
                .containsEntry("Architectures", List.of("arm64"))
                .containsEntry("Tracing", "Active")
                .containsEntry("AutoPublishAlias", "live");
        assertThat(SamTemplate.map(globals.get("LoggingConfig"))).containsEntry("LogFormat", "JSON")
                .containsEntry("ApplicationLogLevel", Map.of("Ref", "LogLevel"));
        assertThat(SamTemplate.map(globals.get("SnapStart")).get("ApplyOn"))
                .isEqualTo(Map.of("Fn::If", List.of("SnapStartEnabled", "PublishedVersions", "None")));
        assertThat(template.parameterDefault("SnapStart")).isEqualTo("true");
        assertThat(SamTemplate.map(template.raw().get("Outputs"))).containsKeys("ApiUrl", "OtpCodesTableName",
                "TokensTableName", "CountersTableName", "ListOtpCodesFunctionArn", "CreateOtpCodeFunctionArn",
                "UpdateOtpCodeFunctionArn", "AuthorizerFunctionArn");
    }

    /** What each function may call is checked against what it calls in RolePermissionsTest; here, the shape. */
    @Test
    void policies_areInlineAllowsOnNamedTablesOnly() {
        for (SamTemplate.Function function : template.functions()) {
            for (Map<String, Object> statement : statements(function.logicalId())) {
                assertThat(statement.get("Effect")).isEqualTo("Allow");
                assertThat(String.valueOf(statement.get("Resource"))).doesNotContain("\"*\"").isNotEqualTo("*");
            }
        }
    }

    private List<Map<String, Object>> statements(String functionLogicalId) {
        List<Map<String, Object>> statements = new ArrayList<>();
        for (Object policy : SamTemplate.list(template.function(functionLogicalId).properties().get("Policies"))) {
            for (Object statement : SamTemplate.list(SamTemplate.map(policy).get("Statement"))) {
                statements.add(SamTemplate.map(statement));
            }
        }
        assertThat(statements).as(functionLogicalId + " has only inline least-privilege statements").isNotEmpty();
        return statements;
    }

    private CreateTableRequest table(String logicalId) {
        return template.tables("").stream().filter(t -> t.tableName().equals(logicalId)).findFirst().orElseThrow();
    }

    private static KeySchemaElement key(String attribute, String type) {
        return KeySchemaElement.builder().attributeName(attribute).keyType(type).build();
    }
}
