package io.otpcodes.handler;

import io.otpcodes.api.ApiRequest;
import io.otpcodes.api.ApiResponse;
import io.otpcodes.api.OtpCodeJson;
import io.otpcodes.api.Route;
import io.otpcodes.config.Settings;
import io.otpcodes.domain.OtpCode;
import io.otpcodes.domain.OtpCodeRepository;
import io.otpcodes.domain.OtpCodeService;
import io.otpcodes.domain.WriteMode;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** PATCH (partial) and PUT (full) on /api/notifications/otp/{id}/; 200 with the code. */
public final class UpdateOtpCodeHandler extends ApiHandler {

    /** What this function uses the store for: its role's grants, and what its snapshot primes. */
    static final OtpCodeRepository.Use STORE_USE = OtpCodeRepository.Use.UPDATE;

    private final OtpCodeService service;

    public UpdateOtpCodeHandler() {
        this(Functions.otpCodeService(), EmbeddedMetrics.of(Functions.settings()));
        Priming.register(this, primingEvents());
        Functions.primeStore(STORE_USE);
    }

    /**
     * Updates of an id no code has: the conditional UpdateItem fails its condition and writes
     * nothing, but the whole request path runs.
     */
    static List<Map<String, Object>> primingEvents() {
        String id = Long.toString(Long.MAX_VALUE);
        return List.of(
                Priming.apiEvent("PATCH", Route.ITEM, "/api/notifications/otp/" + id + "/", Map.of("id", id), null,
                        "{\"email\": \"a@example.com\", \"valid_to\": \"2030-01-01\"}"),
                Priming.apiEvent("PUT", Route.ITEM, "/api/notifications/otp/" + id + "/", Map.of("id", id), null,
                        "{\"code\": 1, \"mobile_number\": \"09123456789\"}"));
    }

    /** For runtimes that host the function themselves (the local runtime). */
    public UpdateOtpCodeHandler(Settings settings, DynamoDbClient dynamoDb) {
        this(Functions.otpCodeService(settings, dynamoDb), EmbeddedMetrics.of(settings));
    }

    UpdateOtpCodeHandler(OtpCodeService service) {
        this(service, EmbeddedMetrics.defaults());
    }

    private UpdateOtpCodeHandler(OtpCodeService service, EmbeddedMetrics metrics) {
        super(metrics);
        this.service = service;
    }

    @Override
    ApiResponse handle(ApiRequest request) {
        WriteMode mode;
        switch (request.method()) {
            case "PATCH":
                mode = WriteMode.PATCH;
                break;
            case "PUT":
                mode = WriteMode.REPLACE;
                break;
            default:
                return ApiResponse.methodNotAllowed(request.method(), request.resource());
        }
        OtpCode updated = service.update(request.pathParameter(Route.ID_PARAMETER), request::jsonObject, mode);
        return ApiResponse.json(200, OtpCodeJson.render(updated, service.now()));
    }

    /** Direct invocation: {@code {"id": N, ...fields}}, with PATCH semantics. */
    @Override
    Object direct(Object payload) {
        Map<String, Object> fields = directObject(payload);
        Object id = fields.get(Route.ID_PARAMETER);
        String idText = id instanceof String || id instanceof Long ? String.valueOf(id) : null;
        OtpCode updated = service.update(idText, () -> fields, WriteMode.PATCH);
        return OtpCodeJson.render(updated, service.now());
    }
}
