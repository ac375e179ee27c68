package io.otpcodes.handler;

import io.otpcodes.api.ApiRequest;
import io.otpcodes.api.ApiResponse;
import io.otpcodes.api.OtpCodeJson;
import io.otpcodes.api.Route;
import io.otpcodes.config.Settings;
import io.otpcodes.domain.OtpCode;
import io.otpcodes.domain.OtpCodeRepository;
import io.otpcodes.domain.OtpCodeService;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** POST /api/notifications/otp/: creates a code; 201 with it. */
public final class CreateOtpCodeHandler extends ApiHandler {

    /** What this function uses the store for: its role's grants, and what its snapshot primes. */
    static final OtpCodeRepository.Use STORE_USE = OtpCodeRepository.Use.CREATE;

    private final OtpCodeService service;

    public CreateOtpCodeHandler() {
        this(Functions.otpCodeService(), EmbeddedMetrics.of(Functions.settings()));
        Priming.register(this, primingEvents());
        Functions.primeStore(STORE_USE);
    }

    /** Bodies refused after full validation (the one-recipient rule): nothing is written. */
    static List<Map<String, Object>> primingEvents() {
        String both = "{\"code\": \"255315\", \"mobile_number\": \"+989123456789\", \"email\": \"a@example.com\","
                + " \"valid_to\": \"2030-01-01T00:00:00.5+03:30\"}";
        return List.of(
                Priming.apiEvent("POST", Route.COLLECTION, "/api/notifications/otp/", null, null, both),
                Priming.apiEvent("POST", Route.COLLECTION, "/api/notifications/otp/", null, null, "{\"code\": true}"));
    }

    /** For runtimes that host the function themselves (the local runtime). */
    public CreateOtpCodeHandler(Settings settings, DynamoDbClient dynamoDb) {
        this(Functions.otpCodeService(settings, dynamoDb), EmbeddedMetrics.of(settings));
    }

    CreateOtpCodeHandler(OtpCodeService service) {
        this(service, EmbeddedMetrics.defaults());
    }

    private CreateOtpCodeHandler(OtpCodeService service, EmbeddedMetrics metrics) {
        super(metrics);
        this.service = service;
    }

    @Override
    ApiResponse handle(ApiRequest request) {
        if (!request.method().equals("POST")) {
            return ApiResponse.methodNotAllowed(request.method(), request.resource());
        }
        OtpCode created = service.create(request.jsonObject());
        return ApiResponse.json(201, OtpCodeJson.render(created, service.now()));
    }

    /** Direct invocation: the payload is the create body. */
    @Override
    Object direct(Object payload) {
        return OtpCodeJson.render(service.create(directObject(payload)), service.now());
    }
}
