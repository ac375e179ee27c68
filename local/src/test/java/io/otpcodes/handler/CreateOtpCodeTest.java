package io.otpcodes.handler;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpcodes.api.Route;
import io.otpcodes.domain.Messages;
import io.otpcodes.domain.OtpCodeField;
import io.otpcodes.local.ProxyEvent;
import io.otpcodes.local.testing.Invocation;
import io.otpcodes.local.testing.Invocation.Response;
import io.otpcodes.local.testing.LocalDynamoDb;
import io.otpcodes.local.testing.TestStack;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class CreateOtpCodeTest {

    private static final String TIME = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{6})?Z";

    private static TestStack stack;
    private static CreateOtpCodeHandler handler;

    @BeforeAll
    static void setUp() {
        stack = LocalDynamoDb.newStack();
        handler = new CreateOtpCodeHandler(stack.settings(), stack.dynamoDb());
    }

    static Response post(String json) {
        return Invocation.invoke(handler, event().jsonBody(json));
    }

    static ProxyEvent event() {
        return ProxyEvent.request("POST", "/api/notifications/otp/").resource(Route.COLLECTION);
    }

    static long itemCount() {
        return stack.dynamoDb().scan(r -> r.tableName(stack.otpTable())).count();
    }

    @Test
    void create_withMobileNumber_returns201WithEveryFieldInContractOrder() {
        Instant before = Instant.now();
        Response response = post("{\"code\": 255315, \"mobile_number\": \"09123256545\", \"email\": null}");

        assertThat(response.status()).isEqualTo(201);
        assertThat(response.header("Content-Type")).isEqualTo("application/json");
        Map<String, Object> body = response.object();
        assertThat(body.keySet()).containsExactly(
                Arrays.stream(OtpCodeField.values()).map(OtpCodeField::jsonName).toArray(String[]::new));
        assertThat(body).containsEntry("code", 255315L)
                .containsEntry("mobile_number", "09123256545")
                .containsEntry("email", null)
                .containsEntry("recipient", "09123256545")
                .containsEntry("is_allow", true);
        assertThat((Long) body.get("id")).isPositive();
        assertThat((Long) body.get("ttl")).isBetween(118L, 120L);
        assertThat((String) body.get("valid_to")).matches(TIME);
        assertThat((String) body.get("created_at")).matches(TIME);
        assertThat(body.get("updated_at")).isEqualTo(body.get("created_at"));
        Instant created = Instant.parse((String) body.get("created_at"));
        assertThat(created).isBetween(before.minusSeconds(1), Instant.now().plusSeconds(1));
        assertThat(Duration.between(created, Instant.parse((String) body.get("valid_to")))).isEqualTo(Duration.ofSeconds(120));
        assertThat(response.bodyText()).doesNotContain(": ").doesNotContain(", ");
    }

    @Test
    void create_withEmail_keepsItsCaseAndMakesItTheRecipient() {
        Map<String, Object> body = post("{\"code\": 1, \"email\": \" Info@MoeinMail.ir \"}").object();

        assertThat(body).containsEntry("email", "Info@MoeinMail.ir")
                .containsEntry("mobile_number", null)
                .containsEntry("recipient", "Info@MoeinMail.ir");
    }

    @Test
    void create_withTheExpirationSetting_defaultsValidToFromIt() {
        CreateOtpCodeHandler shortLived = new CreateOtpCodeHandler(
                stack.settings(Map.of("OTP_EXPIRATION_SECONDS", "30")), stack.dynamoDb());

        Map<String, Object> body = Invocation.invoke(shortLived, event().jsonBody("{\"code\": 1, \"email\": \"a@b.ir\"}")).object();

        Instant created = Instant.parse((String) body.get("created_at"));
        assertThat(Instant.parse((String) body.get("valid_to"))).isEqualTo(created.plusSeconds(30));
        assertThat((Long) body.get("ttl")).isBetween(28L, 30L);
    }

    @ParameterizedTest(name = "code {0} is stored as {1}")
    @CsvSource(delimiter = '|', value = {
        "255315        | 255315",
        "'\"255315\"'  | 255315",
        "'\" 255315 \"'| 255315",
        "255315.0      | 255315",
        "'\"255315.0\"'| 255315",
        "'\"+42\"'     | 42",
        "'\"۲۵۵۳۱۵\"'  | 255315",
        "0             | 0",
        "2147483647    | 2147483647",
        "1e3           | 1000",
    })
    void create_acceptsCodeAs(String json, long stored) {
        Response response = post("{\"code\": " + json + ", \"mobile_number\": \"09123456789\"}");

        assertThat(response.status()).isEqualTo(201);
        assertThat(response.object()).containsEntry("code", stored);
    }

    static Stream<Arguments> invalidCodes() {
        return Stream.of(
                Arguments.of("true", Messages.INVALID_INTEGER),
                Arguments.of("false", Messages.INVALID_INTEGER),
                Arguments.of("\"abc\"", Messages.INVALID_INTEGER),
                Arguments.of("\"\"", Messages.INVALID_INTEGER),
                Arguments.of("1.5", Messages.INVALID_INTEGER),
                Arguments.of("\"1.5\"", Messages.INVALID_INTEGER),
                Arguments.of("[]", Messages.INVALID_INTEGER),
                Arguments.of("{}", Messages.INVALID_INTEGER),
                Arguments.of("1e20", Messages.INVALID_INTEGER),
                Arguments.of("-1", Messages.minValue(0)),
                Arguments.of("\"-1\"", Messages.minValue(0)),
                Arguments.of("2147483648", Messages.maxValue(2147483647)),
                Arguments.of("123456789012345678901234567890", Messages.maxValue(2147483647)),
                Arguments.of("null", Messages.NOT_NULL),
                Arguments.of("\"" + "1".repeat(1001) + "\"", Messages.INTEGER_STRING_TOO_LONG));
    }

    @ParameterizedTest(name = "code {0} -> {1}")
    @MethodSource("invalidCodes")
    void create_refusesCode(String json, String message) {
        Response response = post("{\"code\": " + json + ", \"mobile_number\": \"09123456789\"}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.object()).isEqualTo(Map.of("code", List.of(message)));
    }

    @Test
    void create_withoutCode_saysItIsRequired() {
        Response response = post("{\"mobile_number\": \"09123456789\"}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.object()).isEqualTo(Map.of("code", List.of(Messages.REQUIRED)));
    }

    @ParameterizedTest(name = "mobile number {0} is stored as 09123456789")
    @ValueSource(strings = {
        "\"09123456789\"", "\"9123456789\"", "\"+989123456789\"", "\"00989123456789\"", "\"989123456789\"",
        "\"۰۹۱۲۳۴۵۶۷۸۹\"", "\"٠٩١٢٣٤٥٦٧٨٩\"", "\"+۹۸۹۱۲۳۴۵۶۷۸۹\"", "\" 09123456789 \"", "9123456789",
    })
    void create_acceptsMobileNumberAs(String json) {
        Response response = post("{\"code\": 1, \"mobile_number\": " + json + "}");

        assertThat(response.status()).isEqualTo(201);
        assertThat(response.object()).containsEntry("mobile_number", "09123456789")
                .containsEntry("recipient", "09123456789");
    }

    static Stream<Arguments> invalidMobileNumbers() {
        return Stream.of(
                Arguments.of("\"0912345678\"", List.of(Messages.INVALID_MOBILE_NUMBER)),
                Arguments.of("\"091234567890\"", List.of(Messages.INVALID_MOBILE_NUMBER)),
                Arguments.of("\"08123456789\"", List.of(Messages.INVALID_MOBILE_NUMBER)),
                Arguments.of("\"+19123456789\"", List.of(Messages.INVALID_MOBILE_NUMBER)),
                Arguments.of("\"0912 345 6789\"", List.of(Messages.INVALID_MOBILE_NUMBER)),
                Arguments.of("\"phone\"", List.of(Messages.INVALID_MOBILE_NUMBER)),
                Arguments.of("\"0912345678\\u0000\"", List.of(Messages.INVALID_MOBILE_NUMBER, Messages.NULL_CHARACTERS)),
                Arguments.of("true", List.of(Messages.INVALID_STRING)),
                Arguments.of("[\"09123456789\"]", List.of(Messages.INVALID_STRING)),
                Arguments.of("{}", List.of(Messages.INVALID_STRING)));
    }

    @ParameterizedTest(name = "mobile number {0} -> {1}")
    @MethodSource("invalidMobileNumbers")
    void create_refusesMobileNumber(String json, List<String> messages) {
        Response response = post("{\"code\": 1, \"mobile_number\": " + json + "}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.object()).isEqualTo(Map.of("mobile_number", messages));
    }

    @ParameterizedTest(name = "email {0} is stored as {1}")
    @CsvSource(delimiter = '|', value = {
        "a@b.ir                    | a@b.ir",
        "' first.last+tag@example.co.uk ' | first.last+tag@example.co.uk",
        "user@localhost            | user@localhost",
        "user@[127.0.0.1]          | user@[127.0.0.1]",
        "user@[IPv6:2001:db8::1]   | ",
        "user@例え.jp               | user@例え.jp",
        "\"quoted..name\"@example.com    | \"quoted..name\"@example.com",
        "\"quoted name\"@example.com      | ",
    })
    void create_acceptsOrRefusesEmail(String email, String stored) {
        Response response = post("{\"code\": 1, \"email\": \"" + email.replace("\"", "\\\"") + "\"}");

        if (stored == null) {
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.object()).isEqualTo(Map.of("email", List.of(Messages.INVALID_EMAIL)));
        } else {
            assertThat(response.status()).isEqualTo(201);
            assertThat(response.object()).containsEntry("email", stored);
        }
    }

    static Stream<Arguments> invalidEmails() {
        String longLocal = "a".repeat(250) + "@b.ir";
        return Stream.of(
                Arguments.of("\"plainaddress\"", List.of(Messages.INVALID_EMAIL)),
                Arguments.of("\"a@\"", List.of(Messages.INVALID_EMAIL)),
                Arguments.of("\"@b.ir\"", List.of(Messages.INVALID_EMAIL)),
                Arguments.of("\"a@b\"", List.of(Messages.INVALID_EMAIL)),
                Arguments.of("\"a b@c.ir\"", List.of(Messages.INVALID_EMAIL)),
                Arguments.of("\"a@-b.ir\"", List.of(Messages.INVALID_EMAIL)),
                Arguments.of("\"a..b@c.ir\"", List.of(Messages.INVALID_EMAIL)),
                Arguments.of("\"a@b.i\"", List.of(Messages.INVALID_EMAIL)),
                Arguments.of("\"" + longLocal + "\"", List.of(Messages.maxLength(254))),
                Arguments.of("\"a\\u0000@b.ir\"", List.of(Messages.NULL_CHARACTERS, Messages.INVALID_EMAIL)),
                Arguments.of("true", List.of(Messages.INVALID_EMAIL)),
                Arguments.of("[\"a@b.ir\"]", List.of(Messages.INVALID_EMAIL)));
    }

    @ParameterizedTest(name = "email {0} -> {1}")
    @MethodSource("invalidEmails")
    void create_refusesEmail(String json, List<String> messages) {
        Response response = post("{\"code\": 1, \"email\": " + json + "}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.object()).isEqualTo(Map.of("email", messages));
    }

    @ParameterizedTest(name = "valid_to {0} is stored as {1}")
    @CsvSource(delimiter = '|', value = {
        "2035-12-30T14:39:10.268800Z      | 2035-12-30T14:39:10.268800Z",
        "2035-12-30T14:39:10Z             | 2035-12-30T14:39:10Z",
        "2035-12-30T14:39:10.5Z           | 2035-12-30T14:39:10.500000Z",
        "2035-12-30T14:39:10.1234567Z     | 2035-12-30T14:39:10.123456Z",
        "2035-12-30T14:39:10+03:30        | 2035-12-30T11:09:10Z",
        "2035-12-30T14:39:10+0330         | 2035-12-30T11:09:10Z",
        "2035-12-30T14:39:10-05:00        | 2035-12-30T19:39:10Z",
        "2035-12-30T14:39:10+03           | 2035-12-30T11:39:10Z",
        "2035-12-30T14:39:10              | 2035-12-30T14:39:10Z",
        "2035-12-30 14:39:10              | 2035-12-30T14:39:10Z",
        "2035-12-30T14:39                 | 2035-12-30T14:39:00Z",
        "2035-12-30                       | 2035-12-30T00:00:00Z",
        "2035-1-5T4:05                    | 2035-01-05T04:05:00Z",
    })
    void create_acceptsValidTo(String input, String stored) {
        Response response = post("{\"code\": 1, \"email\": \"a@b.ir\", \"valid_to\": \"" + input + "\"}");

        assertThat(response.status()).isEqualTo(201);
        assertThat(response.object()).containsEntry("valid_to", stored);
    }

    @ParameterizedTest(name = "valid_to {0} is refused")
    @ValueSource(strings = {
        "\"tomorrow\"", "\"2035-13-01\"", "\"2035-02-30\"", "\"2035-12-30T25:00\"", "\"2035-12-30T14:39:10+25:00\"",
        "\"30/12/2035\"", "\"\"", "1767019562", "true", "[]", "\"0000-01-01\"",
    })
    void create_refusesValidTo(String json) {
        Response response = post("{\"code\": 1, \"email\": \"a@b.ir\", \"valid_to\": " + json + "}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.object()).isEqualTo(Map.of("valid_to", List.of(Messages.INVALID_DATETIME)));
    }

    @Test
    void create_withNullValidTo_saysItMayNotBeNull() {
        Response response = post("{\"code\": 1, \"email\": \"a@b.ir\", \"valid_to\": null}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.object()).isEqualTo(Map.of("valid_to", List.of(Messages.NOT_NULL)));
    }

    @Test
    void create_withAPastValidTo_isStoredButNotAllowed() {
        Map<String, Object> body = post("{\"code\": 1, \"email\": \"a@b.ir\", \"valid_to\": \"2020-01-01T00:00:00Z\"}").object();

        assertThat(body).containsEntry("ttl", 0L).containsEntry("is_allow", false);
    }

    @ParameterizedTest(name = "recipients {0} -> non_field_errors")
    @ValueSource(strings = {
        "\"mobile_number\": \"09123456789\", \"email\": \"a@b.ir\"",
        "\"mobile_number\": null, \"email\": null",
        "\"mobile_number\": \"\", \"email\": \"  \"",
        "\"foo\": 1",
    })
    void create_withoutExactlyOneRecipient_returnsNonFieldError(String recipients) {
        Response response = post("{\"code\": 1, " + recipients + "}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.object()).isEqualTo(Map.of("non_field_errors", List.of(Messages.ONE_RECIPIENT)));
    }

    @Test
    void create_withAnEmptyMobileNumberAndAnEmail_treatsTheEmptyOneAsNull() {
        Response response = post("{\"code\": 1, \"mobile_number\": \"\", \"email\": \"a@b.ir\"}");

        assertThat(response.status()).isEqualTo(201);
        assertThat(response.object()).containsEntry("mobile_number", null).containsEntry("recipient", "a@b.ir");
    }

    @Test
    void create_withSeveralBadFields_reportsThemAllTogetherInFieldOrder() {
        Response response = post("{\"valid_to\": \"soon\", \"email\": \"bad\", \"mobile_number\": \"123\", \"code\": \"x\"}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.object().keySet()).containsExactly("code", "mobile_number", "email", "valid_to");
    }

    @Test
    void create_ignoresReadOnlyAndUnknownKeys() {
        Response response = post("{\"code\": 7, \"email\": \"a@b.ir\", \"id\": 999999, \"recipient\": \"x@y.ir\", "
                + "\"ttl\": 5, \"is_allow\": false, \"created_at\": \"2001-01-01T00:00:00Z\", "
                + "\"updated_at\": \"2001-01-01T00:00:00Z\", \"colour\": \"blue\"}");

        assertThat(response.status()).isEqualTo(201);
        Map<String, Object> body = response.object();
        assertThat(body.get("id")).isNotEqualTo(999999L);
        assertThat(body).containsEntry("recipient", "a@b.ir").containsEntry("is_allow", true);
        assertThat((String) body.get("created_at")).doesNotStartWith("2001");
    }

    @ParameterizedTest(name = "body {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "null        | non_field_errors | No data provided",
        "[1, 2]      | non_field_errors | Invalid data. Expected a dictionary, but got list.",
        "'\"text\"'  | non_field_errors | Invalid data. Expected a dictionary, but got str.",
        "42          | non_field_errors | Invalid data. Expected a dictionary, but got int.",
        "4.2         | non_field_errors | Invalid data. Expected a dictionary, but got float.",
        "true        | non_field_errors | Invalid data. Expected a dictionary, but got bool.",
    })
    void create_withABodyThatIsNotAnObject_returns400(String body, String field, String message) {
        Response response = post(body);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.object()).isEqualTo(Map.of(field, List.of(message)));
    }

    @ParameterizedTest(name = "body {0} is a JSON parse error")
    @ValueSource(strings = {"{", "{\"code\": }", "{'code': 1}", "{\"code\": NaN}", "{\"code\": 1} extra", "[1,]",
        "{\"code\": 1", "{\"code\": -Infinity}"})
    void create_withABodyThatIsNotJson_returnsParseError(String body) {
        Response response = post(body);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.object().keySet()).containsExactly("detail");
        assertThat((String) response.object().get("detail")).startsWith("JSON parse error - ").doesNotContain("`");
    }

    @Test
    void create_withNaNOrDeepNesting_answersInDrfsWords() {
        assertThat(post("{\"code\": NaN}").object()).isEqualTo(Map.of("detail",
                "JSON parse error - Out of range float values are not JSON compliant: 'NaN'"));
        Response deep = post("{\"code\": " + "[".repeat(1000) + "]".repeat(1000) + "}");
        assertThat(deep.status()).isEqualTo(400);
        assertThat(deep.object()).isEqualTo(Map.of("detail",
                "JSON parse error - maximum recursion depth exceeded while decoding a JSON document"));
    }

    @Test
    void create_withAnotherMediaType_returns415() {
        Response response = Invocation.invoke(handler, event().header("Content-Type", "text/plain").body("code=1"));

        assertThat(response.status()).isEqualTo(415);
        assertThat(response.object()).isEqualTo(Map.of("detail", "Unsupported media type \"text/plain\" in request."));
    }

    @Test
    void create_withJsonAndACharset_isAccepted() {
        Response response = Invocation.invoke(handler, event().header("content-type", "application/json; charset=utf-8")
                .body("{\"code\": 1, \"email\": \"a@b.ir\"}"));

        assertThat(response.status()).isEqualTo(201);
    }

    @Test
    void create_withAnEmptyBody_readsItAsAnEmptyObject() {
        Response response = Invocation.invoke(handler, event().header("Content-Type", "application/json"));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.object()).isEqualTo(Map.of("code", List.of(Messages.REQUIRED)));
    }

    @Test
    void create_withDuplicateKeys_keepsTheLastValue() {
        Response response = post("{\"code\": 1, \"code\": 2, \"email\": \"a@b.ir\"}");

        assertThat(response.object()).containsEntry("code", 2L);
    }

    @Test
    void create_withAnotherMethod_returns405WithAllow() {
        Response response = Invocation.invoke(handler, ProxyEvent.request("DELETE", "/api/notifications/otp/")
                .resource(Route.COLLECTION));

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.header("Allow")).isEqualTo("GET, POST");
        assertThat(response.object()).isEqualTo(Map.of("detail", "Method \"DELETE\" not allowed."));
    }

    @Test
    void create_refused_writesNothing() {
        TestStack fresh = LocalDynamoDb.newStack();
        CreateOtpCodeHandler freshHandler = new CreateOtpCodeHandler(fresh.settings(), fresh.dynamoDb());
        for (String body : List.of("{}", "{\"code\": -1, \"email\": \"a@b.ir\"}", "null", "{",
                "{\"code\": 1, \"email\": \"a@b.ir\", \"mobile_number\": \"09123456789\"}")) {
            assertThat(Invocation.invoke(freshHandler, event().jsonBody(body)).status()).isEqualTo(400);
        }

        assertThat(fresh.dynamoDb().scan(r -> r.tableName(fresh.otpTable())).count()).isZero();
    }

    @Test
    void create_givesIncreasingIds() {
        long first = (Long) post("{\"code\": 1, \"email\": \"a@b.ir\"}").object().get("id");
        long second = (Long) post("{\"code\": 2, \"email\": \"a@b.ir\"}").object().get("id");

        assertThat(second).isGreaterThan(first);
    }

    @Test
    void create_fromEightThreadsAtOnce_givesEveryCodeItsOwnId() throws Exception {
        TestStack fresh = LocalDynamoDb.newStack();
        CreateOtpCodeHandler freshHandler = new CreateOtpCodeHandler(fresh.settings(), fresh.dynamoDb());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<List<Long>>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                List<Long> ids = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    Response response = Invocation.invoke(freshHandler,
                            event().jsonBody("{\"code\": " + (thread * 1000 + i) + ", \"mobile_number\": \"09120000000\"}"));
                    assertThat(response.status()).isEqualTo(201);
                    ids.add((Long) response.object().get("id"));
                }
                return ids;
            }));
        }
        Set<Long> ids = new HashSet<>();
        for (Future<List<Long>> future : futures) {
            ids.addAll(future.get());
        }
        pool.shutdown();

        assertThat(ids).hasSize(800);
        assertThat(fresh.dynamoDb().scan(r -> r.tableName(fresh.otpTable())).count()).isEqualTo(800);
        Set<Long> stored = fresh.dynamoDb().scan(r -> r.tableName(fresh.otpTable())).items().stream()
                .map(item -> Long.parseLong(item.get("id").n())).collect(Collectors.toSet());
        assertThat(stored).isEqualTo(ids);
    }

    @Test
    void create_thatFailsAfterTheCounterMoved_leavesAGapAndNoHalfItem() {
        TestStack fresh = LocalDynamoDb.newStack();
        CreateOtpCodeHandler broken = new CreateOtpCodeHandler(
                fresh.settings(Map.of("OTP_TABLE_NAME", fresh.prefix() + "NoSuchTable")), fresh.dynamoDb());
        CreateOtpCodeHandler working = new CreateOtpCodeHandler(fresh.settings(), fresh.dynamoDb());

        Response failed = Invocation.invoke(broken, event().jsonBody("{\"code\": 1, \"email\": \"a@b.ir\"}"));
        Response next = Invocation.invoke(working, event().jsonBody("{\"code\": 2, \"email\": \"a@b.ir\"}"));

        assertThat(failed.status()).isGreaterThanOrEqualTo(500);
        assertThat(failed.object()).containsOnlyKeys("detail");
        assertThat(next.object()).containsEntry("id", 2L);
        assertThat(fresh.dynamoDb().scan(r -> r.tableName(fresh.otpTable())).count()).isEqualTo(1);
    }
}
