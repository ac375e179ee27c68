package io.otpcodes.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.otpcodes.json.Json;
import io.otpcodes.local.testing.LocalDynamoDb;
import io.otpcodes.local.testing.TestStack;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Functions called by other AWS services with plain JSON: the API's JSON out, typed errors thrown. */
class DirectInvocationTest {

    private static TestStack stack;
    private static CreateOtpCodeHandler create;
    private static ListOtpCodesHandler list;
    private static UpdateOtpCodeHandler update;

    @BeforeAll
    static void setUp() {
        stack = LocalDynamoDb.newStack();
        create = new CreateOtpCodeHandler(stack.settings(), stack.dynamoDb());
        list = new ListOtpCodesHandler(stack.settings(), stack.dynamoDb());
        update = new UpdateOtpCodeHandler(stack.settings(), stack.dynamoDb());
    }

    static Object invoke(RequestStreamHandler handler, String payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(payload.getBytes(StandardCharsets.UTF_8)), out, null);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return Json.parse(out.toByteArray());
    }

    @Test
    @SuppressWarnings("unchecked")
    void create_thenRetrieveUpdateAndList_returnTheApisJson() {
        Map<String, Object> created = (Map<String, Object>) invoke(create, "{\"code\": 12, \"mobile_number\": \"9121234567\"}");
        assertThat(created).containsEntry("mobile_number", "09121234567").doesNotContainKey("statusCode");
        Object id = created.get("id");

        assertThat((Map<String, Object>) invoke(list, "{\"id\": " + id + "}")).containsEntry("code", 12L);
        assertThat((Map<String, Object>) invoke(update, "{\"id\": " + id + ", \"code\": 13}")).containsEntry("code", 13L);
        Map<String, Object> page = (Map<String, Object>) invoke(list,
                "{\"mobile_number\": \"09121234567\", \"is_allow\": true, \"limit\": 1, \"ordering\": [\"code\", \"-id\"]}");
        assertThat(page).containsEntry("count", 1L).containsEntry("next", null);
        assertThat((List<Object>) page.get("results")).hasSize(1);
    }

    @Test
    @SuppressWarnings("unchecked")
    void list_linksOfADirectCall_areRelativeToTheApiPath() {
        invoke(create, "{\"code\": 1, \"email\": \"links@example.com\"}");
        invoke(create, "{\"code\": 2, \"email\": \"links@example.com\"}");

        Map<String, Object> page = (Map<String, Object>) invoke(list, "{\"email\": \"links@example.com\", \"limit\": 1}");

        assertThat(page.get("next")).isEqualTo("/api/notifications/otp/?email=links%40example.com&limit=1&offset=1");
    }

    @Test
    void invalidPayload_throwsValidationErrorWithTheFieldErrorsAsJson() {
        assertThatThrownBy(() -> invoke(create, "{\"code\": -1, \"email\": \"nope\"}"))
                .isInstanceOf(ValidationError.class)
                .satisfies(e -> assertThat(Json.parse(e.getMessage())).isEqualTo(Map.of(
                        "code", List.of("Ensure this value is greater than or equal to 0."),
                        "email", List.of("Enter a valid email address."))));
        assertThatThrownBy(() -> invoke(create, "[1]")).isInstanceOf(ValidationError.class)
                .hasMessageContaining("Expected a dictionary, but got list.");
        assertThatThrownBy(() -> invoke(list, "{\"is_allow\": \"perhaps\"}")).isInstanceOf(ValidationError.class)
                .hasMessageContaining("is_allow");
        assertThatThrownBy(() -> invoke(create, "not json")).isInstanceOf(ValidationError.class)
                .hasMessageContaining("JSON parse error");
    }

    @Test
    void unknownIds_throwNotFound() {
        assertThatThrownBy(() -> invoke(list, "{\"id\": 999999}")).isInstanceOf(NotFound.class).hasMessage("Not found.");
        assertThatThrownBy(() -> invoke(update, "{\"code\": 1}")).isInstanceOf(NotFound.class);
        assertThatThrownBy(() -> invoke(update, "{\"id\": 999999, \"code\": 1}")).isInstanceOf(NotFound.class);
    }

    @Test
    void storeFailures_throwServiceUnavailable() {
        CreateOtpCodeHandler broken = new CreateOtpCodeHandler(
                stack.settings(Map.of("COUNTER_TABLE_NAME", "no-such-table")), stack.dynamoDb());

        assertThatThrownBy(() -> invoke(broken, "{\"code\": 1, \"email\": \"a@b.ir\"}"))
                .isInstanceOf(ServiceUnavailable.class)
                .hasMessage("Service temporarily unavailable, try again later.");
    }

    @Test
    void typedErrors_carryNoStackTraceOfOurs() {
        assertThatThrownBy(() -> invoke(list, "{\"id\": 999999}")).satisfies(e -> assertThat(e.getStackTrace()).isEmpty());
    }
}
