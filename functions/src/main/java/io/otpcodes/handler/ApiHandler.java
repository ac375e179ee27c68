package io.otpcodes.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.otpcodes.api.ApiErrors;
import io.otpcodes.api.ApiRequest;
import io.otpcodes.api.ApiResponse;
import io.otpcodes.domain.RequestException;
import io.otpcodes.json.Json;
import io.otpcodes.json.JsonParseException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/**
 * What every function does around its one service call: read the proxy event JSON, map the
 * outcome or the failure to a DRF-shaped response, write it. Subclasses route and call.
 */
abstract class ApiHandler implements RequestStreamHandler {

    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) {
        ApiResponse response;
        try {
            Object event = Json.parse(input);
            if (!(event instanceof Map) || !ApiRequest.isProxyEvent(asObject(event))) {
                throw new RequestException(400, "Expected an API Gateway proxy event.");
            }
            response = handle(ApiRequest.of(asObject(event)));
        } catch (JsonParseException e) {
            response = ApiResponse.detail(400, "Expected an API Gateway proxy event.");
        } catch (RuntimeException e) {
            if (ApiErrors.isServerFault(e) && context != null) {
                context.getLogger().log("request failed: " + e.getClass().getName() + "\n");
            }
            response = ApiErrors.toResponse(e);
        }
        response.writeTo(output);
    }

    /** Serves one request; any exception is mapped by {@link ApiErrors}. */
    abstract ApiResponse handle(ApiRequest request);

    @SuppressWarnings("unchecked")
    static Map<String, Object> asObject(Object json) {
        return (Map<String, Object>) json;
    }
}
