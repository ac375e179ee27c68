package io.otpcodes.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.otpcodes.api.Route;
import io.otpcodes.auth.Unauthorized;
import io.otpcodes.domain.EmailAddress;
import io.otpcodes.json.Json;
import io.otpcodes.local.ProxyEvent;
import io.otpcodes.local.testing.Invocation;
import io.otpcodes.local.testing.Invocation.Response;
import io.otpcodes.local.testing.LocalDynamoDb;
import io.otpcodes.local.testing.TestStack;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Over ten thousand generated requests (seeded, so a failure replays): bodies, query strings,
 * headers and paths, hostile and plausible. Never a 5xx, never a body that is not JSON, and
 * afterwards not one stored item that breaks the contract.
 */
class GeneratedInputTest {

    static final long SEED = Long.getLong("fuzz.seed", 20261122L);
    static final int INPUTS = Integer.getInteger("fuzz.inputs", 10_400);

    private final Random random = new Random(SEED);
    private final List<String> failures = new ArrayList<>();
    private int sent;

    @Test
    void generatedRequests_neverGet5xxOrNonJson_andNeverStoreAnInvalidItem() throws Exception {
        TestStack stack = LocalDynamoDb.newStack();
        CreateOtpCodeHandler create = new CreateOtpCodeHandler(stack.settings(), stack.dynamoDb());
        UpdateOtpCodeHandler update = new UpdateOtpCodeHandler(stack.settings(), stack.dynamoDb());
        ListOtpCodesHandler list = new ListOtpCodesHandler(stack.settings(), stack.dynamoDb());
        TokenAuthorizerHandler authorizer = new TokenAuthorizerHandler(stack.settings(), stack.dynamoDb());
        for (int i = 0; i < 20; i++) {
            check(create, post(validBody()));
        }

        int perKind = INPUTS / 6;
        for (int i = 0; i < perKind * 2; i++) {
            check(create, post(body()));
        }
        for (int i = 0; i < perKind; i++) {
            check(update, ProxyEvent.request(random.nextBoolean() ? "PATCH" : "PUT", "/api/notifications/otp/x/")
                    .resource(Route.ITEM).pathParameter("id", id()).jsonBody(body()));
        }
        for (int i = 0; i < perKind; i++) {
            ProxyEvent event = ProxyEvent.request("GET", "/api/notifications/otp/").resource(Route.COLLECTION);
            for (int p = random.nextInt(5); p >= 0; p--) {
                event.query(pick(QUERY_NAMES), text());
            }
            check(list, event);
        }
        for (int i = 0; i < perKind / 2; i++) {
            check(list, ProxyEvent.request(pick(List.of("GET", "DELETE", "HEAD", "OPTIONS")), "/api/notifications/otp/x/")
                    .resource(Route.ITEM).pathParameter("id", id()));
        }
        for (int i = 0; i < perKind / 2; i++) {
            ProxyEvent event = ProxyEvent.request("POST", "/api/notifications/otp/").resource(Route.COLLECTION)
                    .header(random.nextBoolean() ? "Content-Type" : "content-type", contentType());
            if (random.nextInt(4) == 0) {
                event.body(Base64.getEncoder().encodeToString(bytes())).base64Encoded();
            } else {
                event.body(body());
            }
            check(create, event);
        }
        for (int i = 0; i < perKind; i++) {
            authorize(authorizer, authorization());
        }
        // bodies past API Gateway's 10 MB, deep nesting, very long strings in every field
        check(create, post("{\"code\": 1, \"email\": \"" + "a".repeat(10 * 1024 * 1024) + "@b.ir\"}"));
        check(create, post("[".repeat(100_000) + "]".repeat(100_000)));
        check(create, post("{\"code\": " + "9".repeat(5000) + "}"));
        for (String field : List.of("code", "mobile_number", "email", "valid_to", "id", "extra")) {
            check(create, post("{\"" + field + "\": \"" + "9".repeat(200_000) + "\"}"));
        }

        assertThat(sent).isGreaterThanOrEqualTo(10_000);
        assertThat(failures).isEmpty();
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        stack.dynamoDb().scanPaginator(r -> r.tableName(stack.otpTable())).items().forEach(items::add);
        assertThat(items).hasSizeGreaterThan(20);
        for (Map<String, AttributeValue> item : items) {
            assertValid(item);
        }
    }

    private void check(RequestStreamHandler handler, ProxyEvent event) {
        sent++;
        Response response;
        try {
            response = Invocation.invoke(handler, event);
        } catch (RuntimeException e) {
            failures.add("threw " + e + " for " + describe(event));
            return;
        }
        if (response.status() >= 500) {
            failures.add(response.status() + " " + response.bodyText() + " for " + describe(event));
            return;
        }
        try {
            Object json = response.json();
            assertThat(json).isNotNull();
            assertThat(response.header("Content-Type")).isEqualTo("application/json");
        } catch (RuntimeException | AssertionError e) {
            failures.add("not JSON: " + response.bodyText() + " for " + describe(event));
        }
    }

    private void authorize(TokenAuthorizerHandler authorizer, String header) {
        sent++;
        Map<String, Object> event = new java.util.LinkedHashMap<>();
        event.put("type", "REQUEST");
        event.put("methodArn", "arn:aws:execute-api:local:000000000000:api/api/GET/api/notifications/otp");
        event.put("headers", header == null ? Map.of() : Map.of("Authorization", header));
        try {
            authorizer.handleRequest(new ByteArrayInputStream(Json.writeBytes(event)), new ByteArrayOutputStream(), null);
            failures.add("authorizer allowed a random header");
        } catch (Unauthorized expected) {
            // the only right answer for a token no one holds
        } catch (Exception e) {
            failures.add("authorizer threw " + e);
        }
    }

    private static String describe(ProxyEvent event) {
        String text = Json.write(event.toMap());
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    private static ProxyEvent post(String body) {
        return ProxyEvent.request("POST", "/api/notifications/otp/").resource(Route.COLLECTION).jsonBody(body);
    }

    private static void assertValid(Map<String, AttributeValue> item) {
        long code = Long.parseLong(item.get("code").n());
        assertThat(code).isBetween(0L, 2147483647L);
        boolean mobile = item.containsKey("mobile_number");
        boolean email = item.containsKey("email");
        assertThat(mobile).as("exactly one recipient: " + item).isNotEqualTo(email);
        if (mobile) {
            assertThat(item.get("mobile_number").s()).matches("09[0-9]{9}");
        } else {
            String address = item.get("email").s();
            assertThat(address.length()).isLessThanOrEqualTo(EmailAddress.MAX_LENGTH);
            assertThat(EmailAddress.isValid(address)).as(address).isTrue();
            assertThat(item.get("email_key").s()).isEqualTo(address.toLowerCase(Locale.ROOT));
        }
        for (String time : List.of("valid_to", "created_at", "updated_at", "expires_at")) {
            assertThat(item.get(time).n()).as(time).matches("-?[0-9]+");
        }
    }

    // --- generators ---

    static final List<String> QUERY_NAMES = List.of("limit", "offset", "search", "ordering", "id_min", "id_max",
            "created_date", "updated_date", "created_from", "updated_from", "created_to", "updated_to",
            "has_mobile_number", "has_email", "mobile_number", "email", "is_allow", "format", "page");

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private String validBody() {
        return random.nextBoolean()
                ? "{\"code\": " + random.nextInt(1_000_000) + ", \"mobile_number\": \"0912" + (1000000 + random.nextInt(8999999)) + "\"}"
                : "{\"code\": " + random.nextInt(1_000_000) + ", \"email\": \"u" + random.nextInt(1000) + "@example.com\"}";
    }

    private String body() {
        switch (random.nextInt(12)) {
            case 0:
                return validBody();
            case 1:
                return truncate(validBody());
            case 2:
                return "[".repeat(random.nextInt(2000)) + "1" + "]".repeat(random.nextInt(2000));
            case 3:
                return "{\"code\": 1, \"code\": " + value() + ", \"email\": " + value() + ", \"email\": \"a@b.ir\"}";
            case 4:
                return pick(List.of("null", "true", "1", "1.5", "\"x\"", "[]", "", " ", "{}", "NaN", "{\"code\": NaN}",
                        "{\"code\": Infinity}", "{\"code\": -Infinity}", "\u0000", "{\"a\":\"\\ud800\"}"));
            default:
                StringBuilder json = new StringBuilder("{");
                String separator = "";
                for (String field : List.of("code", "mobile_number", "email", "valid_to", "id", "recipient", "ttl", "junk")) {
                    if (random.nextInt(3) > 0) {
                        json.append(separator).append('"').append(field).append("\": ").append(value());
                        separator = ", ";
                    }
                }
                return json.append('}').toString();
        }
    }

    private String truncate(String json) {
        return json.substring(0, random.nextInt(json.length()));
    }

    private String value() {
        switch (random.nextInt(16)) {
            case 0:
                return "null";
            case 1:
                return Boolean.toString(random.nextBoolean());
            case 2:
                return Long.toString(random.nextLong());
            case 3:
                return "1" + "0".repeat(random.nextInt(40));
            case 4:
                return Double.toString(random.nextDouble() * Math.pow(10, random.nextInt(30)));
            case 5:
                return "[" + value() + ", " + value() + "]";
            case 6:
                return "{\"k\": " + value() + "}";
            case 7:
                return Json.write(pick(List.of("09123456789", "+989123456789", "۰۹۱۲۳۴۵۶۷۸۹", "9123456789", "0912345678",
                        "a@b.ir", "A.B+c@Example.COM", "user@localhost", "x@[127.0.0.1]", "2030-01-01", "2030-01-01T00:00:00Z",
                        "2030-13-45", "2030-01-01 10:00+03:30", " 255315 ", "255315.0", "", "  ")));
            default:
                return Json.write(text());
        }
    }

    private String text() {
        int length = random.nextInt(10) == 0 ? random.nextInt(5000) : random.nextInt(24);
        StringBuilder text = new StringBuilder(length);
        String alphabet = "0123456789+-.:@ _,\"'\\/TZazAZ۰۹٠٩éß\u0000\t\n\u200b😀";
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    private String id() {
        return pick(List.of(Integer.toString(1 + random.nextInt(30)), Long.toString(random.nextLong()), text(), "0", "-1",
                "1.0", "9".repeat(50), "%00", "1 ", "۱"));
    }

    private String contentType() {
        return pick(List.of("application/json", "application/json; charset=utf-8", "APPLICATION/JSON", "text/plain",
                "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "", "application/jsonx", text()));
    }

    private byte[] bytes() {
        byte[] bytes = new byte[random.nextInt(200)];
        random.nextBytes(bytes);
        return random.nextBoolean() ? bytes : ("{\"code\": 1, \"email\": \"" + new String(bytes, StandardCharsets.ISO_8859_1) + "\"}")
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    private String authorization() {
        switch (random.nextInt(6)) {
            case 0:
                return null;
            case 1:
                return "Token " + text();
            case 2:
                return "Bearer " + text();
            case 3:
                return "Token " + io.otpcodes.auth.TokenHash.newToken();
            default:
                return text();
        }
    }
}
