package io.otpcodes.handler;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpcodes.api.Route;
import io.otpcodes.local.ProxyEvent;
import io.otpcodes.local.testing.Invocation;
import io.otpcodes.local.testing.Invocation.Response;
import io.otpcodes.local.testing.LocalDynamoDb;
import io.otpcodes.local.testing.TestStack;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class RetrieveOtpCodeTest {

    private static TestStack stack;
    private static CreateOtpCodeHandler create;
    private static ListOtpCodesHandler read;

    @BeforeAll
    static void setUp() {
        stack = LocalDynamoDb.newStack();
        create = new CreateOtpCodeHandler(stack.settings(), stack.dynamoDb());
        read = new ListOtpCodesHandler(stack.settings(), stack.dynamoDb());
    }

    static Map<String, Object> created(String json) {
        Response response = Invocation.invoke(create, ProxyEvent.request("POST", "/api/notifications/otp/")
                .resource(Route.COLLECTION).jsonBody(json));
        assertThat(response.status()).isEqualTo(201);
        return response.object();
    }

    static Response get(String id, String path) {
        return Invocation.invoke(read, ProxyEvent.request("GET", path).resource(Route.ITEM).pathParameter("id", id));
    }

    static Response get(String id) {
        return get(id, "/api/notifications/otp/" + id + "/");
    }

    @Test
    void retrieve_anExistingCode_returnsWhatCreateReturned() {
        Map<String, Object> code = created("{\"code\": 4242, \"mobile_number\": \"09121112233\", "
                + "\"valid_to\": \"2035-01-01T00:00:00.000001Z\"}");

        Response response = get(code.get("id").toString());

        assertThat(response.status()).isEqualTo(200);
        Map<String, Object> body = response.object();
        assertThat(body).isEqualTo(withTtlOf(code, body.get("ttl")));
        assertThat(body.keySet()).containsExactlyElementsOf(code.keySet());
    }

    @Test
    void retrieve_withoutTheTrailingSlash_isServedTheSame() {
        Map<String, Object> code = created("{\"code\": 1, \"email\": \"a@b.ir\"}");
        String id = code.get("id").toString();

        Response response = get(id, "/api/notifications/otp/" + id);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.object()).containsEntry("id", code.get("id"));
    }

    @Test
    void retrieve_withLeadingZerosOrPersianDigits_findsTheCodeAsPythonIntWould() {
        Map<String, Object> code = created("{\"code\": 1, \"email\": \"a@b.ir\"}");
        long id = (Long) code.get("id");

        assertThat(get("000" + id).object()).containsEntry("id", id);
    }

    @ParameterizedTest(name = "id {0} -> 404")
    @ValueSource(strings = {"999999", "abc", "1.5", "-1", "0", "1e3", "99999999999999999999999", "%20"})
    void retrieve_aMissingOrNonIntegerId_returns404(String id) {
        Response response = get(id);

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.object()).isEqualTo(Map.of("detail", "Not found."));
    }

    @Test
    void retrieve_aCodePastItsRetention_returns404EvenWhileDynamoDbStillHasIt() {
        CreateOtpCodeHandler shortRetention = new CreateOtpCodeHandler(
                stack.settings(Map.of("OTP_RETENTION_SECONDS", "1")), stack.dynamoDb());
        Response createdResponse = Invocation.invoke(shortRetention, ProxyEvent.request("POST", "/api/notifications/otp/")
                .resource(Route.COLLECTION)
                .jsonBody("{\"code\": 1, \"email\": \"a@b.ir\", \"valid_to\": \"2024-01-01T00:00:00Z\"}"));
        String id = createdResponse.object().get("id").toString();

        Response response = get(id);

        assertThat(response.status()).isEqualTo(404);
        assertThat(stack.dynamoDb().getItem(r -> r.tableName(stack.otpTable())
                .key(Map.of("id", AttributeValue.fromN(id)))).hasItem()).isTrue();
    }

    @Test
    void retrieve_anExpiredCodeWithinItsRetention_isReturnedAsNotAllowed() {
        String tenSecondsAgo = java.time.Instant.now().minusSeconds(10).toString();
        Map<String, Object> code = created("{\"code\": 1, \"email\": \"a@b.ir\", \"valid_to\": \"" + tenSecondsAgo + "\"}");

        Response response = get(code.get("id").toString());

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.object()).containsEntry("is_allow", false).containsEntry("ttl", 0L);
    }

    @Test
    void retrieve_aCodeLongPastItsValidTo_isGoneAfterTheRetention() {
        Map<String, Object> code = created("{\"code\": 1, \"email\": \"a@b.ir\", \"valid_to\": \"2020-01-01\"}");

        assertThat(get(code.get("id").toString()).status()).isEqualTo(404);
    }

    @Test
    void retrieve_withAnotherMethod_returns405WithTheItemsAllowHeader() {
        Response response = Invocation.invoke(read, ProxyEvent.request("DELETE", "/api/notifications/otp/1/")
                .resource(Route.ITEM).pathParameter("id", "1"));

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.header("Allow")).isEqualTo("GET, PUT, PATCH");
        assertThat(response.object()).isEqualTo(Map.of("detail", "Method \"DELETE\" not allowed."));
    }

    private static Map<String, Object> withTtlOf(Map<String, Object> code, Object ttl) {
        Map<String, Object> copy = new java.util.LinkedHashMap<>(code);
        copy.put("ttl", ttl);
        return copy;
    }
}
