package io.otpcodes.handler;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpcodes.api.Route;
import io.otpcodes.domain.ListQuery;
import io.otpcodes.domain.Messages;
import io.otpcodes.domain.OtpCodeService;
import io.otpcodes.local.ProxyEvent;
import io.otpcodes.local.testing.ApiCalls;
import io.otpcodes.local.testing.Invocation;
import io.otpcodes.local.testing.Invocation.Response;
import io.otpcodes.local.testing.LocalDynamoDb;
import io.otpcodes.local.testing.TestStack;
import io.otpcodes.store.DynamoDbOtpCodeRepository;
import io.otpcodes.store.ListPlan;
import io.otpcodes.store.OtpTableSchema;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The list against a fixed data set on DynamoDB Local, at a fixed "now". Ids 1..7 are created
 * in order; 6 is past its retention and must never show.
 */
class ListOtpCodesTest {

    static final Instant NOW = Instant.parse("2025-01-20T12:00:00Z");
    static final String HOST = "abcdef1234.execute-api.eu-central-1.amazonaws.com";
    static final String BASE = "https://" + HOST + "/api/api/notifications/otp/";

    private static TestStack stack;
    private static ListOtpCodesHandler handler;

    /** A clock the test moves, so that created_at and updated_at are what the cases expect. */
    static final class SettableClock extends Clock {
        volatile Instant now = NOW;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @BeforeAll
    static void setUp() {
        stack = LocalDynamoDb.newStack();
        SettableClock clock = new SettableClock();
        var settings = stack.settings();
        OtpCodeService service = new OtpCodeService(new DynamoDbOtpCodeRepository(stack.dynamoDb(), settings),
                clock, settings.expiration());
        CreateOtpCodeHandler create = new CreateOtpCodeHandler(service);
        UpdateOtpCodeHandler update = new UpdateOtpCodeHandler(service);
        handler = new ListOtpCodesHandler(service, settings.pageSize());

        createAt(create, clock, "2025-01-10T10:00:00Z", "{\"code\": 111111, \"mobile_number\": \"09120000001\", \"valid_to\": \"2025-01-25\"}");
        createAt(create, clock, "2025-01-10T23:59:59.999999Z", "{\"code\": 222222, \"email\": \"Alice@Example.com\", \"valid_to\": \"2025-01-20T11:59:00Z\"}");
        createAt(create, clock, "2025-01-11T00:00:00Z", "{\"code\": 123456, \"mobile_number\": \"09120000001\", \"valid_to\": \"2025-01-21\"}");
        createAt(create, clock, "2025-01-12T08:00:00Z", "{\"code\": 654321, \"email\": \"bob@example.org\", \"valid_to\": \"2025-01-19\"}");
        createAt(create, clock, "2025-01-12T09:00:00Z", "{\"code\": 999, \"mobile_number\": \"09359876543\", \"valid_to\": \"2025-01-30\"}");
        createAt(create, clock, "2025-01-01T00:00:00Z", "{\"code\": 42, \"email\": \"carol@example.com\", \"valid_to\": \"2025-01-02\"}");
        createAt(create, clock, "2025-01-13T00:00:00Z", "{\"code\": 77777, \"mobile_number\": \"09121111111\", \"valid_to\": \"2025-01-20T12:00:00Z\"}");
        clock.now = Instant.parse("2025-01-15T09:00:00Z");
        Response patched = Invocation.invoke(update, ProxyEvent.request("PATCH", "/api/notifications/otp/4/")
                .resource(Route.ITEM).pathParameter("id", "4").jsonBody("{\"code\": 654321}"));
        assertThat(patched.status()).isEqualTo(200);
        clock.now = NOW;
    }

    private static void createAt(CreateOtpCodeHandler create, SettableClock clock, String at, String body) {
        clock.now = Instant.parse(at);
        Response response = Invocation.invoke(create, ProxyEvent.request("POST", "/api/notifications/otp/")
                .resource(Route.COLLECTION).jsonBody(body));
        assertThat(response.status()).as(body).isEqualTo(201);
    }

    static Response list(String query) {
        ProxyEvent event = ProxyEvent.request("GET", "/api/notifications/otp/").resource(Route.COLLECTION)
                .header("Host", HOST).header("X-Forwarded-Proto", "https");
        ApiCalls.queryParams(query).forEach(event::query);
        return Invocation.invoke(handler, event);
    }

    @SuppressWarnings("unchecked")
    static List<Long> ids(Response response) {
        return ((List<Map<String, Object>>) response.object().get("results")).stream()
                .map(r -> (Long) r.get("id")).collect(Collectors.toList());
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // query, expected ids in order, plan (operation, index)
                Arguments.of("", List.of(1L, 2L, 3L, 4L, 5L, 7L), "ID_ORDER", null),
                Arguments.of("id_min=2&id_max=4", List.of(2L, 3L, 4L), "ID_ORDER", null),
                // Django casts a decimal bound to the integer column with int(): toward zero, as DRF answers
                Arguments.of("id_min=2.5", List.of(2L, 3L, 4L, 5L, 7L), "ID_ORDER", null),
                Arguments.of("id_max=4.9", List.of(1L, 2L, 3L, 4L), "ID_ORDER", null),
                Arguments.of("id_min=3_0&id_max=1e-400000000", List.of(), "ID_ORDER", null),
                Arguments.of("id_max=1_0", List.of(1L, 2L, 3L, 4L, 5L, 7L), "ID_ORDER", null),
                Arguments.of("id_max= 3 ", List.of(1L, 2L, 3L), "ID_ORDER", null),
                Arguments.of("id_min=5&id_max=2", List.of(), "ID_ORDER", null),
                Arguments.of("id_min=", List.of(1L, 2L, 3L, 4L, 5L, 7L), "ID_ORDER", null),
                Arguments.of("id_min=1e400", List.of(), "ID_ORDER", null),
                Arguments.of("created_date=2025-01-10", List.of(1L, 2L), "ID_ORDER", null),
                Arguments.of("created_from=2025-01-11", List.of(3L, 4L, 5L, 7L), "ID_ORDER", null),
                Arguments.of("created_to=2025-01-11", List.of(1L, 2L, 3L), "ID_ORDER", null),
                Arguments.of("created_from=2025-01-11&created_to=2025-01-12", List.of(3L, 4L, 5L), "ID_ORDER", null),
                Arguments.of("created_date=2025-01-10&created_from=2025-01-11", List.of(), "ID_ORDER", null),
                Arguments.of("updated_date=2025-01-15", List.of(4L), "SCAN", null),
                Arguments.of("updated_from=2025-01-13", List.of(4L, 7L), "SCAN", null),
                Arguments.of("updated_to=2025-01-12", List.of(1L, 2L, 3L, 5L), "SCAN", null),
                Arguments.of("has_mobile_number=true", List.of(1L, 3L, 5L, 7L), "SCAN", OtpTableSchema.MOBILE_NUMBER_INDEX),
                Arguments.of("has_mobile_number=false", List.of(2L, 4L), "SCAN", OtpTableSchema.EMAIL_INDEX),
                Arguments.of("has_email=TRUE", List.of(2L, 4L), "SCAN", OtpTableSchema.EMAIL_INDEX),
                Arguments.of("has_email=0", List.of(1L, 3L, 5L, 7L), "SCAN", OtpTableSchema.MOBILE_NUMBER_INDEX),
                Arguments.of("has_email=1&has_mobile_number=1", List.of(), "SCAN", OtpTableSchema.MOBILE_NUMBER_INDEX),
                Arguments.of("mobile_number=09120000001", List.of(1L, 3L), "QUERY", OtpTableSchema.MOBILE_NUMBER_INDEX),
                Arguments.of("mobile_number=+989120000001", List.of(1L, 3L), "QUERY", OtpTableSchema.MOBILE_NUMBER_INDEX),
                Arguments.of("mobile_number=۰۹۱۲۰۰۰۰۰۰۱", List.of(1L, 3L), "QUERY", OtpTableSchema.MOBILE_NUMBER_INDEX),
                Arguments.of("mobile_number=0912", List.of(), "QUERY", OtpTableSchema.MOBILE_NUMBER_INDEX),
                Arguments.of("email=alice@example.COM", List.of(2L), "QUERY", OtpTableSchema.EMAIL_INDEX),
                Arguments.of("email=alice", List.of(), "QUERY", OtpTableSchema.EMAIL_INDEX),
                Arguments.of("email=carol@example.com", List.of(), "QUERY", OtpTableSchema.EMAIL_INDEX),
                Arguments.of("is_allow=true", List.of(1L, 3L, 5L), "SCAN", null),
                Arguments.of("is_allow=False", List.of(2L, 4L, 7L), "SCAN", null),
                Arguments.of("mobile_number=09120000001&is_allow=true&id_min=2", List.of(3L), "QUERY", OtpTableSchema.MOBILE_NUMBER_INDEX),
                Arguments.of("mobile_number=09120000001&id_max=1", List.of(1L), "QUERY", OtpTableSchema.MOBILE_NUMBER_INDEX),
                Arguments.of("email=BOB@example.org&updated_date=2025-01-15", List.of(4L), "QUERY", OtpTableSchema.EMAIL_INDEX),
                Arguments.of("has_mobile_number=1&created_date=2025-01-12", List.of(5L), "SCAN", OtpTableSchema.MOBILE_NUMBER_INDEX),
                Arguments.of("search=0912", List.of(1L, 3L, 7L), "SCAN", null),
                Arguments.of("search=EXAMPLE", List.of(2L, 4L), "SCAN", null),
                Arguments.of("search=1234", List.of(3L), "SCAN", null),
                Arguments.of("search=example com", List.of(2L), "SCAN", null),
                Arguments.of("search=example,org", List.of(4L), "SCAN", null),
                Arguments.of("search=\"example.org\"", List.of(4L), "SCAN", null),
                Arguments.of("search=,999,", List.of(5L), "SCAN", null),
                Arguments.of("search=", List.of(1L, 2L, 3L, 4L, 5L, 7L), "ID_ORDER", null),
                Arguments.of("search=nomatch", List.of(), "SCAN", null),
                Arguments.of("search=0912&has_mobile_number=true&is_allow=1", List.of(1L, 3L), "SCAN", OtpTableSchema.MOBILE_NUMBER_INDEX),
                Arguments.of("ordering=-id", List.of(7L, 5L, 4L, 3L, 2L, 1L), "ID_ORDER", null),
                Arguments.of("ordering=code", List.of(5L, 7L, 1L, 3L, 2L, 4L), "SCAN", null),
                Arguments.of("ordering=email", List.of(2L, 4L, 1L, 3L, 5L, 7L), "SCAN", null),
                Arguments.of("ordering=-email", List.of(1L, 3L, 5L, 7L, 4L, 2L), "SCAN", null),
                Arguments.of("ordering=ttl", List.of(4L, 2L, 7L, 3L, 1L, 5L), "SCAN", null),
                Arguments.of("ordering=-ttl", List.of(5L, 1L, 3L, 7L, 2L, 4L), "SCAN", null),
                Arguments.of("ordering=mobile_number,-id", List.of(3L, 1L, 7L, 5L, 4L, 2L), "SCAN", null),
                Arguments.of("ordering=-mobile_number", List.of(2L, 4L, 5L, 7L, 1L, 3L), "SCAN", null),
                Arguments.of("ordering=nonsense", List.of(1L, 2L, 3L, 4L, 5L, 7L), "ID_ORDER", null),
                Arguments.of("ordering=nonsense, -code", List.of(4L, 2L, 3L, 1L, 7L, 5L), "SCAN", null),
                Arguments.of("ordering=ID", List.of(1L, 2L, 3L, 4L, 5L, 7L), "ID_ORDER", null),
                Arguments.of("ordering=created_at", List.of(1L, 2L, 3L, 4L, 5L, 7L), "SCAN", null),
                Arguments.of("ordering=-updated_at", List.of(4L, 7L, 5L, 3L, 2L, 1L), "SCAN", null),
                Arguments.of("ordering=-id&limit=2&offset=1", List.of(5L, 4L), "ID_ORDER", null),
                Arguments.of("unknown=1&format=json", List.of(1L, 2L, 3L, 4L, 5L, 7L), "ID_ORDER", null));
    }

    @ParameterizedTest(name = "?{0} -> {1} by {2} {3}")
    @MethodSource("cases")
    void list_keepsOrdersAndPlans(String query, List<Long> expected, String operation, String index) {
        Response response = list(query);

        assertThat(response.status()).isEqualTo(200);
        assertThat(ids(response)).isEqualTo(expected);
        assertThat(response.object().get("count")).isEqualTo((long) expected.size() + (query.contains("limit=2") ? 4 : 0));
        ListPlan plan = ListPlan.of(ListQuery.parse(ApiCalls.queryParams(query), 100));
        assertThat(plan.operation().name()).isEqualTo(operation);
        assertThat(plan.index()).isEqualTo(index);
    }

    static Stream<Arguments> invalidQueries() {
        return Stream.of(
                Arguments.of("id_min=abc", Map.of("id_min", List.of(Messages.INVALID_NUMBER))),
                Arguments.of("id_max=NaN", Map.of("id_max", List.of(Messages.INVALID_NUMBER))),
                Arguments.of("created_date=2025-13-01", Map.of("created_date", List.of(Messages.INVALID_DATE))),
                Arguments.of("created_from=yesterday", Map.of("created_from", List.of(Messages.INVALID_DATE))),
                Arguments.of("updated_to=2025-02-30", Map.of("updated_to", List.of(Messages.INVALID_DATE))),
                // Python's date has no year 0
                Arguments.of("created_date=0000-01-01", Map.of("created_date", List.of(Messages.INVALID_DATE))),
                Arguments.of("id_min=Infinity", Map.of("id_min", List.of(Messages.INVALID_NUMBER))),
                Arguments.of("is_allow=maybe", Map.of("is_allow", List.of(Messages.INVALID_BOOLEAN))),
                Arguments.of("has_email=yes", Map.of("has_email", List.of(Messages.INVALID_BOOLEAN))),
                Arguments.of("id_min=x&updated_date=never&has_mobile_number=2&is_allow=no",
                        Map.of("id_min", List.of(Messages.INVALID_NUMBER), "updated_date", List.of(Messages.INVALID_DATE),
                                "has_mobile_number", List.of(Messages.INVALID_BOOLEAN), "is_allow", List.of(Messages.INVALID_BOOLEAN))));
    }

    @ParameterizedTest(name = "?{0} -> 400")
    @MethodSource("invalidQueries")
    void list_withInvalidFilters_reportsThemAllTogether(String query, Map<String, List<String>> errors) {
        Response response = list(query);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.object()).isEqualTo(errors);
    }

    @Test
    void list_reportsInvalidFiltersInTheFilterSetsOrder() {
        Response response = list("is_allow=no&id_min=x&created_to=bad");

        assertThat(response.object().keySet()).containsExactly("id_min", "created_to", "is_allow");
    }

    @Test
    void list_withANulInSearch_returnsDrfsBareList() {
        Response response = list("search=ab\u0000c");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json()).isEqualTo(List.of(Messages.NULL_CHARACTERS));
    }

    @Test
    void list_bodyHasDrfsKeysInOrder_andTheContractsObjects() {
        Map<String, Object> body = list("").object();

        assertThat(body.keySet()).containsExactly("count", "next", "previous", "results");
        assertThat(body).containsEntry("count", 6L).containsEntry("next", null).containsEntry("previous", null);
        @SuppressWarnings("unchecked")
        Map<String, Object> first = ((List<Map<String, Object>>) body.get("results")).get(0);
        assertThat(first).containsEntry("id", 1L).containsEntry("recipient", "09120000001")
                .containsEntry("valid_to", "2025-01-25T00:00:00Z").containsEntry("created_at", "2025-01-10T10:00:00Z");
    }

    @Test
    void list_computesTtlAndIsAllowAtResponseTime() {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> results = (List<Map<String, Object>>) list("").object().get("results");

        Map<Long, Object> ttl = new LinkedHashMap<>();
        Map<Long, Object> allowed = new LinkedHashMap<>();
        for (Map<String, Object> r : results) {
            ttl.put((Long) r.get("id"), r.get("ttl"));
            allowed.put((Long) r.get("id"), r.get("is_allow"));
        }
        assertThat(ttl).containsEntry(1L, 4L * 86400 + 12 * 3600).containsEntry(2L, 0L).containsEntry(7L, 0L)
                .containsEntry(3L, 12L * 3600);
        assertThat(allowed).containsEntry(1L, true).containsEntry(2L, false).containsEntry(7L, false);
    }

    @Test
    void list_firstPage_linksToTheNextWithEveryParameterSortedAndLimitWritten() {
        Map<String, Object> body = list("search=09&limit=2&format=json").object();

        assertThat(body.get("count")).isEqualTo(4L);
        assertThat(body.get("next")).isEqualTo(BASE + "?format=json&limit=2&offset=2&search=09");
        assertThat(body.get("previous")).isNull();
    }

    @Test
    void list_middlePage_linksBothWays_andPreviousDropsAZeroOffset() {
        Map<String, Object> body = list("limit=2&offset=2").object();

        assertThat(ids(list("limit=2&offset=2"))).containsExactly(3L, 4L);
        assertThat(body.get("next")).isEqualTo(BASE + "?limit=2&offset=4");
        assertThat(body.get("previous")).isEqualTo(BASE + "?limit=2");
    }

    @Test
    void list_lastPage_hasNoNext() {
        Map<String, Object> body = list("offset=4&limit=2").object();

        assertThat(ids(list("offset=4&limit=2"))).containsExactly(5L, 7L);
        assertThat(body.get("next")).isNull();
        assertThat(body.get("previous")).isEqualTo(BASE + "?limit=2&offset=2");
    }

    @Test
    void list_offsetPastTheEnd_returnsNoResultsAndTheCount() {
        Map<String, Object> body = list("offset=100").object();

        assertThat(body).containsEntry("count", 6L).containsEntry("results", List.of()).containsEntry("next", null);
        assertThat(body.get("previous")).isEqualTo(BASE + "?limit=100");
    }

    @Test
    void list_linksEncodeValuesAsPythonsQuotePlus() {
        Map<String, Object> body = list("limit=1&search=0912,&format=a b/c~*é").object();

        assertThat(body.get("count")).isEqualTo(3L);
        assertThat(body.get("next")).isEqualTo(BASE + "?format=a+b%2Fc~%2A%C3%A9&limit=1&offset=1&search=0912%2C");
    }

    static Stream<Arguments> pageSizes() {
        return Stream.of(
                Arguments.of("limit=0", 100, 0),
                Arguments.of("limit=-3", 100, 0),
                Arguments.of("limit=abc", 100, 0),
                Arguments.of("limit=", 100, 0),
                Arguments.of("limit=5000", 1000, 0),
                Arguments.of("limit=+2", 2, 0),
                Arguments.of("limit= 2 ", 2, 0),
                Arguments.of("limit=۲", 2, 0),
                Arguments.of("limit=2.0", 100, 0),
                Arguments.of("offset=-5&limit=2", 2, 0),
                Arguments.of("offset=abc&limit=2", 2, 0),
                Arguments.of("offset=1&limit=2", 2, 1));
    }

    @ParameterizedTest(name = "?{0} -> limit {1}, offset {2}")
    @MethodSource("pageSizes")
    void list_readsLimitAndOffsetAsDrfDoes(String query, int limit, int offset) {
        ListQuery parsed = ListQuery.parse(ApiCalls.queryParams(query), 100);

        assertThat(parsed.limit()).isEqualTo(limit);
        assertThat(parsed.offset()).isEqualTo(offset);
        assertThat(ids(list(query))).hasSize(Math.min(limit, 6 - offset));
    }

    @Test
    void list_withARepeatedParameter_usesTheLastValue_andKeepsAllInLinks() {
        ProxyEvent event = ProxyEvent.request("GET", "/api/notifications/otp/").resource(Route.COLLECTION)
                .header("Host", HOST).header("X-Forwarded-Proto", "https")
                .query("limit", "5").query("limit", "1").query("ordering", "id").query("ordering", "-id");

        Response response = Invocation.invoke(handler, event);

        assertThat(ids(response)).containsExactly(7L);
        assertThat(response.object().get("next")).isEqualTo(BASE + "?limit=1&offset=1&ordering=id&ordering=-id");
    }

    @Test
    void list_onACustomDomainOrLocally_linksToThePathAsCalled() {
        ProxyEvent event = ProxyEvent.request("GET", "/api/notifications/otp").resource(Route.COLLECTION)
                .header("Host", "127.0.0.1:3000").contextPath("/api/notifications/otp").query("limit", "2");

        Response response = Invocation.invoke(handler, event);

        assertThat(response.object().get("next")).isEqualTo("http://127.0.0.1:3000/api/notifications/otp?limit=2&offset=2");
    }

    @Test
    void list_neverShowsTheCodePastItsRetention() {
        assertThat(ids(list("limit=1000"))).doesNotContain(6L);
        assertThat(ids(list("email=carol@example.com"))).isEmpty();
        assertThat(ids(list("search=carol"))).isEmpty();
    }

    @Test
    void list_withAnotherMethod_returns405WithTheCollectionsAllowHeader() {
        Response response = Invocation.invoke(handler, ProxyEvent.request("PUT", "/api/notifications/otp/").resource(Route.COLLECTION));

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.header("Allow")).isEqualTo("GET, POST");
    }

    @Test
    void list_retrieveStillServedByTheSameFunction() {
        Response response = Invocation.invoke(handler, ProxyEvent.request("GET", "/api/notifications/otp/3/")
                .resource(Route.ITEM).pathParameter("id", "3"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.object()).containsEntry("code", 123456L);
    }
}
