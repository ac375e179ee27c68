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
import io.otpcodes.domain.OtpCodeService;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** GET /api/notifications/otp/ (list) and GET /api/notifications/otp/{id}/ (retrieve). */
public final class ListOtpCodesHandler extends ApiHandler {

    private final OtpCodeService service;
    private final int pageSize;

    public ListOtpCodesHandler() {
        this(Functions.otpCodeService(), Functions.settings().pageSize());
    }

    /** For runtimes that host the function themselves (the local runtime). */
    public ListOtpCodesHandler(Settings settings, DynamoDbClient dynamoDb) {
        this(Functions.otpCodeService(settings, dynamoDb), settings.pageSize());
    }

    ListOtpCodesHandler(OtpCodeService service, int pageSize) {
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

    private ApiResponse list(ApiRequest request) {
        ListPage page = service.list(ListQuery.parse(request.queryParameters(), pageSize));
        return ApiResponse.json(200, ListPageJson.render(page, request, service.now()));
    }
}
