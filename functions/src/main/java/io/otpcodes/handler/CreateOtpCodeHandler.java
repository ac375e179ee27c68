package io.otpcodes.handler;

import io.otpcodes.api.ApiRequest;
import io.otpcodes.api.ApiResponse;
import io.otpcodes.api.OtpCodeJson;
import io.otpcodes.config.Settings;
import io.otpcodes.domain.OtpCode;
import io.otpcodes.domain.OtpCodeService;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** POST /api/notifications/otp/: creates a code; 201 with it. */
public final class CreateOtpCodeHandler extends ApiHandler {

    private final OtpCodeService service;

    public CreateOtpCodeHandler() {
        this(Functions.otpCodeService());
    }

    /** For runtimes that host the function themselves (the local runtime). */
    public CreateOtpCodeHandler(Settings settings, DynamoDbClient dynamoDb) {
        this(Functions.otpCodeService(settings, dynamoDb));
    }

    CreateOtpCodeHandler(OtpCodeService service) {
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
