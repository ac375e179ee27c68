package io.otpcodes.handler;

import io.otpcodes.api.ApiRequest;
import io.otpcodes.api.ApiResponse;
import io.otpcodes.api.ListPageJson;
import io.otpcodes.api.OtpCodeJson;
import io.otpcodes.api.Route;
import io.otpcodes.config.Settings;
import io.otpcodes.domain.ListPage;
import io.otpcodes.domain.ListQuery;
import io.otpcodes.domain.OtpCode;
import io.otpcodes.domain.OtpCodeRepository;
import io.otpcodes.domain.OtpCodeService;
import io.otpcodes.domain.ReadStats;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** GET /api/notifications/otp/ (list) and GET /api/notifications/otp/{id}/ (retrieve). */
public final class ListOtpCodesHandler extends ApiHandler {

    /** What this function uses the store for: its role's grants, and what its snapshot primes. */
    static final OtpCodeRepository.Use STORE_USE = OtpCodeRepository.Use.READ;

    private final OtpCodeService service;
    private final int pageSize;

    public ListOtpCodesHandler() {
        this(Functions.otpCodeService(), Functions.settings().pageSize(), EmbeddedMetrics.of(Functions.settings()));
        Priming.register(this, primingEvents());
        Functions.primeStore(STORE_USE);
    }

    /**
     * Reads only: a list by a mobile number no code has (a Query), a list that matches nothing,
     * the page of id 1 in id order (the summaries, as the default view reads them: the slowest
     * first request when not primed), a 404.
     */
    static List<Map<String, Object>> primingEvents() {
        return List.of(
                Priming.apiEvent("GET", Route.COLLECTION, "/api/notifications/otp/", null,
                        Map.of("id_min", "1", "id_max", "1", "limit", "1"), null),
                Priming.apiEvent("GET", Route.COLLECTION, "/api/notifications/otp/", null,
                        Map.of("mobile_number", "09000000000", "search", "x", "ordering", "-code"), null),
                Priming.apiEvent("GET", Route.COLLECTION, "/api/notifications/otp/", null,
                        Map.of("id_min", "2", "id_max", "1", "created_from", "2025-01-01", "is_allow", "true"), null),
                Priming.apiEvent("GET", Route.ITEM, "/api/notifications/otp/0/", Map.of("id", "0"), null, null));
    }

    /** For runtimes that host the function themselves (the local runtime). */
    public ListOtpCodesHandler(Settings settings, DynamoDbClient dynamoDb) {
        this(Functions.otpCodeService(settings, dynamoDb), settings.pageSize(), EmbeddedMetrics.of(settings));
    }

    ListOtpCodesHandler(OtpCodeService service, int pageSize) {
        this(service, pageSize, EmbeddedMetrics.defaults());
    }

    private ListOtpCodesHandler(OtpCodeService service, int pageSize, EmbeddedMetrics metrics) {
        super(metrics);
        this.service = service;
        this.pageSize = pageSize;
    }

    @Override
    ApiResponse handle(ApiRequest request) {
        if (!request.method().equals("GET")) {
            return ApiResponse.methodNotAllowed(request.method(), request.resource());
        }
        String id = request.pathParameter(Route.ID_PARAMETER);
        if (id == null) {
            return list(request);
        }
        OtpCode code = service.retrieve(id);
        return ApiResponse.json(200, OtpCodeJson.render(code, service.now()));
    }

    /**
     * Direct invocation: the query parameters as a JSON object (values as text, numbers or
     * booleans; a list means a repeated parameter), and {@code "id"} to retrieve one code.
     */
    @Override
    Object direct(Object payload) {
        Map<String, Object> query = directObject(payload);
        Map<String, List<String>> params = new LinkedHashMap<>();
        query.forEach((name, value) -> {
            List<String> values = new ArrayList<>();
            for (Object v : value instanceof List ? (List<?>) value : Collections.singletonList(value)) {
                if (v != null) {
                    values.add(String.valueOf(v));
                }
            }
            if (!values.isEmpty()) {
                params.put(name, values);
            }
        });
        List<String> id = params.remove(Route.ID_PARAMETER);
        if (id != null) {
            return OtpCodeJson.render(service.retrieve(id.get(id.size() - 1)), service.now());
        }
        Map<String, String> last = new LinkedHashMap<>();
        params.forEach((name, values) -> last.put(name, values.get(values.size() - 1)));
        ListPage page = service.list(ListQuery.parse(last, pageSize));
        return ListPageJson.render(page, Route.COLLECTION + "/", params, service.now());
    }

    private ApiResponse list(ApiRequest request) {
        ListPage page = service.list(ListQuery.parse(request.queryParameters(), pageSize));
        return ApiResponse.json(200, ListPageJson.render(page, request, service.now())).withLog(planLine(page.stats()));
    }

    /** How the list was read, for its log line: the plan, its cost, and a Scan for want of summaries said so. */
    static Map<String, Object> planLine(ReadStats stats) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put(PLAN_FIELD, stats.operation());
        line.put("items_read", stats.itemsRead());
        line.put("read_units", BigDecimal.valueOf(stats.consumedCapacity()));
        line.put("codes_held", stats.codesHeld());
        if (!stats.summariesReady()) {
            line.put("summaries", "not ready: the list scanned the table (run backfill)");
        }
        return line;
    }
}
