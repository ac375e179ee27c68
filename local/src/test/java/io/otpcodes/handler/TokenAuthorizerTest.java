package io.otpcodes.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.Context;
import io.otpcodes.auth.DynamoDbTokenRepository;
import io.otpcodes.auth.Permission;
import io.otpcodes.auth.TokenHash;
import io.otpcodes.auth.Tokens;
import io.otpcodes.auth.Unauthorized;
import io.otpcodes.domain.Messages;
import io.otpcodes.json.Json;
import io.otpcodes.local.IamPolicy;
import io.otpcodes.local.testing.Invocation;
import io.otpcodes.local.testing.LocalDynamoDb;
import io.otpcodes.local.testing.TestStack;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class TokenAuthorizerTest {

    static final String API = "arn:aws:execute-api:eu-central-1:123456789012:abcdef1234/api";

    /** The routes a client calls, as the method ARNs API Gateway hands the authorizer. */
    enum Call {
        LIST("GET/api/notifications/otp/"),
        LIST_NO_SLASH("GET/api/notifications/otp"),
        RETRIEVE("GET/api/notifications/otp/42"),
        CREATE("POST/api/notifications/otp/"),
        CREATE_NO_SLASH("POST/api/notifications/otp"),
        UPDATE("PATCH/api/notifications/otp/42/"),
        REPLACE("PUT/api/notifications/otp/42"),
        DELETE("DELETE/api/notifications/otp/42");

        final String arn;

        Call(String path) {
            this.arn = API + "/" + path;
        }
    }

    private static TestStack stack;
    private static TokenAuthorizerHandler handler;
    private static final Map<String, String> HEADERS = new LinkedHashMap<>();
    private static final List<String> SECRETS = new ArrayList<>();

    @BeforeAll
    static void setUp() {
        stack = LocalDynamoDb.newStack();
        handler = new TokenAuthorizerHandler(stack.settings(), stack.dynamoDb());
        Tokens tokens = new Tokens(new DynamoDbTokenRepository(stack.dynamoDb(), stack.settings().tokenTableName()),
                Clock.systemUTC());
        HEADERS.put("no header", null);
        HEADERS.put("Bearer", "Bearer 9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b");
        HEADERS.put("Token", "Token");
        HEADERS.put("Token a b", "Token a b");
        HEADERS.put("unknown", "Token " + TokenHash.newToken());
        String revoked = tokens.issue("revoked", true, true, EnumSet.allOf(Permission.class));
        tokens.revoke(revoked);
        HEADERS.put("revoked", "Token " + revoked);
        String inactive = tokens.issue("inactive", true, true, EnumSet.allOf(Permission.class));
        stack.dynamoDb().updateItem(r -> r.tableName(stack.settings().tokenTableName())
                .key(Map.of("token_hash", AttributeValue.fromS(TokenHash.sha256(inactive))))
                .updateExpression("SET is_active = :f").expressionAttributeValues(Map.of(":f", AttributeValue.fromBool(false))));
        HEADERS.put("inactive", "Token " + inactive);
        HEADERS.put("staff without codes", "Token " + tokens.issue("staff-none", false, true, Set.of()));
        HEADERS.put("staff 2851", "Token " + tokens.issue("staff-create", false, true, Set.of(Permission.CREATE)));
        HEADERS.put("staff 2852", "Token " + tokens.issue("staff-view", false, true, Set.of(Permission.VIEW)));
        HEADERS.put("staff 2853", "Token " + tokens.issue("staff-update", false, true, Set.of(Permission.UPDATE)));
        HEADERS.put("non-staff with all codes", "Token " + tokens.issue("not-staff", false, false, EnumSet.allOf(Permission.class)));
        HEADERS.put("admin", "token " + tokens.issue("admin", true, false, Set.of()));
        for (String header : HEADERS.values()) {
            if (header != null && header.split(" ").length == 2) {
                String token = header.split(" ")[1];
                SECRETS.add(token);
                SECRETS.add(TokenHash.sha256(token));
            }
        }
    }

    static Map<String, Object> event(String authorization, String methodArn) {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("Host", "abcdef1234.execute-api.eu-central-1.amazonaws.com");
        if (authorization != null) {
            headers.put("Authorization", authorization);
        }
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", "REQUEST");
        event.put("methodArn", methodArn);
        event.put("headers", headers);
        return event;
    }

    /** Calls the authorizer; null when it answers 401. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> authorize(String authorization, String methodArn, Context context) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(Json.writeBytes(event(authorization, methodArn))), out, context);
        } catch (Unauthorized e) {
            return null;
        }
        return (Map<String, Object>) Json.parse(out.toByteArray());
    }

    @SuppressWarnings("unchecked")
    static int status(Map<String, Object> answer, String methodArn) {
        if (answer == null) {
            return 401;
        }
        return IamPolicy.allows((Map<String, Object>) answer.get("policyDocument"), methodArn) ? 200 : 403;
    }

    static Stream<Arguments> matrix() {
        Set<Call> none = EnumSet.noneOf(Call.class);
        Set<Call> all = EnumSet.allOf(Call.class);
        Map<String, Set<Call>> allowed = new LinkedHashMap<>();
        allowed.put("staff without codes", none);
        allowed.put("staff 2851", EnumSet.of(Call.CREATE, Call.CREATE_NO_SLASH));
        allowed.put("staff 2852", EnumSet.of(Call.LIST, Call.LIST_NO_SLASH, Call.RETRIEVE));
        allowed.put("staff 2853", EnumSet.of(Call.UPDATE, Call.REPLACE));
        allowed.put("non-staff with all codes", none);
        allowed.put("admin", all);
        List<Arguments> cases = new ArrayList<>();
        for (String principal : HEADERS.keySet()) {
            for (Call call : Call.values()) {
                int expected = !allowed.containsKey(principal) ? 401 : allowed.get(principal).contains(call) ? 200 : 403;
                cases.add(Arguments.of(principal, call, expected));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} x {1} -> {2}")
    @MethodSource("matrix")
    void authorizer_answersTheMatrix(String principal, Call call, int expected) {
        assertThat(status(authorize(HEADERS.get(principal), call.arn, null), call.arn)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "policy of {0}, cached after {1}, answers every route as a fresh call")
    @MethodSource("cachedPolicies")
    void cachedPolicy_replayedForEveryRoute_answersAsAFreshCall(String principal, Call first) {
        Map<String, Object> cached = authorize(HEADERS.get(principal), first.arn, null);
        for (Call next : Call.values()) {
            Map<String, Object> fresh = authorize(HEADERS.get(principal), next.arn, null);
            assertThat(status(cached, next.arn)).as(principal + " then " + next).isEqualTo(status(fresh, next.arn));
        }
    }

    static Stream<Arguments> cachedPolicies() {
        List<Arguments> cases = new ArrayList<>();
        for (String principal : List.of("staff without codes", "staff 2851", "staff 2852", "staff 2853", "non-staff with all codes", "admin")) {
            for (Call first : Call.values()) {
                cases.add(Arguments.of(principal, first));
            }
        }
        return cases.stream();
    }

    @Test
    @SuppressWarnings("unchecked")
    void policy_forEachPermissionSet_namesExactlyItsResources() {
        Map<String, List<String>> expected = Map.of(
                "staff 2851", List.of(API + "/POST/api/notifications/otp", API + "/POST/api/notifications/otp/"),
                "staff 2852", List.of(API + "/GET/api/notifications/otp", API + "/GET/api/notifications/otp/",
                        API + "/GET/api/notifications/otp/*"),
                "staff 2853", List.of(API + "/PUT/api/notifications/otp/*", API + "/PATCH/api/notifications/otp/*"),
                "admin", List.of(API + "/GET/api/notifications/otp", API + "/GET/api/notifications/otp/",
                        API + "/POST/api/notifications/otp", API + "/POST/api/notifications/otp/",
                        API + "/GET/api/notifications/otp/*", API + "/PUT/api/notifications/otp/*",
                        API + "/PATCH/api/notifications/otp/*", API + "/*/api/notifications/otp",
                        API + "/*/api/notifications/otp/", API + "/*/api/notifications/otp/*"));
        expected.forEach((principal, resources) -> {
            Map<String, Object> answer = authorize(HEADERS.get(principal), Call.LIST.arn, null);
            List<Map<String, Object>> statements = (List<Map<String, Object>>) ((Map<String, Object>) answer.get("policyDocument")).get("Statement");
            assertThat(statements).hasSize(1);
            assertThat(statements.get(0)).containsEntry("Effect", "Allow").containsEntry("Action", "execute-api:Invoke");
            assertThat((List<String>) statements.get(0).get("Resource")).as(principal).containsExactlyInAnyOrderElementsOf(resources);
        });
        for (String principal : List.of("staff without codes", "non-staff with all codes")) {
            Map<String, Object> answer = authorize(HEADERS.get(principal), Call.LIST.arn, null);
            assertThat(((Map<String, Object>) answer.get("policyDocument")).get("Statement"))
                    .isEqualTo(List.of(Map.of("Action", "execute-api:Invoke", "Effect", "Deny", "Resource", List.of(API + "/*"))));
        }
    }

    @Test
    void policy_carriesThePrincipalsNameAndCodesForTheFunctionsLogs() {
        Map<String, Object> answer = authorize(HEADERS.get("staff 2852"), Call.LIST.arn, null);

        assertThat(answer).containsEntry("principalId", "staff-view");
        assertThat(answer.get("context")).isEqualTo(Map.of("name", "staff-view", "permissions", "2852", "admin", false, "staff", true));
    }

    @Test
    void unauthenticated_throwsTheErrorApiGatewayTurnsInto401_withDrfsReason() {
        assertThatThrownBy(() -> handler.handleRequest(new ByteArrayInputStream(
                Json.writeBytes(event("Token a b", Call.LIST.arn))), new ByteArrayOutputStream(), null))
                .isInstanceOf(Unauthorized.class)
                .hasMessage("Unauthorized")
                .satisfies(e -> assertThat(((Unauthorized) e).reason()).isEqualTo(Messages.INVALID_TOKEN_HEADER_SPACES));
    }

    /** Events whose Authorization comes more than once, in every shape API Gateway can hand them over. */
    static Stream<Arguments> severalAuthorizationHeaders() {
        String admin = HEADERS.get("admin");
        String unknown = HEADERS.get("unknown");
        return Stream.of(
                Arguments.of("two values, unknown then valid", Map.of("Authorization", admin),
                        Map.of("Authorization", List.of(unknown, admin))),
                Arguments.of("two values, valid then unknown", Map.of("Authorization", unknown),
                        Map.of("Authorization", List.of(admin, unknown))),
                Arguments.of("the same valid value twice", Map.of("Authorization", admin),
                        Map.of("Authorization", List.of(admin, admin))),
                Arguments.of("names in two cases", Map.of("Authorization", admin, "authorization", unknown), null),
                Arguments.of("single and multi disagree", Map.of("Authorization", admin),
                        Map.of("Authorization", List.of(unknown))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("severalAuthorizationHeaders")
    void severalAuthorizationHeaders_are401WhateverTheirOrder(String name, Map<String, Object> headers,
            Map<String, Object> multiValueHeaders) {
        Map<String, Object> event = event(null, Call.LIST.arn);
        event.put("headers", headers);
        if (multiValueHeaders != null) {
            event.put("multiValueHeaders", multiValueHeaders);
        }

        assertThatThrownBy(() -> handler.handleRequest(new ByteArrayInputStream(Json.writeBytes(event)),
                new ByteArrayOutputStream(), null)).isInstanceOf(Unauthorized.class);
    }

    @Test
    void oneAuthorizationHeader_inBothShapesOfTheEvent_isAllowed() {
        Map<String, Object> event = event(HEADERS.get("admin"), Call.LIST.arn);
        event.put("multiValueHeaders", Map.of("authorization", List.of(HEADERS.get("admin"))));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        handler.handleRequest(new ByteArrayInputStream(Json.writeBytes(event)), out, null);

        assertThat(status(ApiHandler.asObject(Json.parse(out.toByteArray())), Call.LIST.arn)).isEqualTo(200);
    }

    @Test
    void aDynamoDbFault_isNeverAnAllow() {
        TokenAuthorizerHandler broken = new TokenAuthorizerHandler(
                stack.settings(Map.of("TOKEN_TABLE_NAME", "no-such-table")), stack.dynamoDb());

        assertThatThrownBy(() -> broken.handleRequest(new ByteArrayInputStream(
                Json.writeBytes(event(HEADERS.get("admin"), Call.LIST.arn))), new ByteArrayOutputStream(), null))
                .isNotInstanceOf(Unauthorized.class)
                .isInstanceOf(RuntimeException.class);
    }

    @Test
    void nothingLogged_containsATokenOrItsHash() {
        StringBuilder lambdaLog = new StringBuilder();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream out = System.out;
        PrintStream err = System.err;
        try (PrintStream capture = new PrintStream(console, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            System.setErr(capture);
            for (String header : HEADERS.values()) {
                for (Call call : Call.values()) {
                    authorize(header, call.arn, context(lambdaLog));
                }
            }
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        String logs = lambdaLog + console.toString(StandardCharsets.UTF_8);

        assertThat(logs).contains("\"route\":\"authorizer\"");
        for (String secret : SECRETS) {
            assertThat(logs).doesNotContain(secret);
        }
    }

    static Context context(StringBuilder log) {
        return Invocation.context("AuthorizerFunction", log);
    }
}
