package io.otpcodes.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import io.otpcodes.api.ApiErrors;
import io.otpcodes.api.ApiRequest;
import io.otpcodes.api.ApiResponse;
import io.otpcodes.json.Json;
import io.otpcodes.json.JsonParseException;
import io.otpcodes.store.DynamoDbUsage;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What every function does around its one service call. An API Gateway proxy event is served
 * as HTTP: the outcome or the failure becomes a DRF-shaped response. Any other JSON is a
 * direct invocation (Step Functions, another Lambda): the outcome is the same JSON body an API
 * client gets, and a failure is thrown as a typed error ({@link DirectInvocationError}).
 * Either way one structured log line records the request, never a body, code or token.
 *
 * <p>Public because the Lambda runtime calls {@code handleRequest} reflectively on the
 * class that declares it.
 */
public abstract class ApiHandler implements RequestStreamHandler {

    static {
        ColdStart.noteLoaded();
    }

    private final EmbeddedMetrics metrics;

    ApiHandler(EmbeddedMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) {
        long start = System.nanoTime();
        Object event;
        try {
            event = Json.parse(input);
        } catch (JsonParseException e) {
            throw DirectInvocationError.of(e);
        }
        if (event instanceof Map && ApiRequest.isProxyEvent(asObject(event))) {
            ApiRequest request = ApiRequest.of(asObject(event));
            DynamoDbUsage usage = DynamoDbUsage.begin();
            ApiResponse response;
            try {
                response = handle(request);
            } catch (RuntimeException e) {
                response = ApiErrors.toResponse(e);
                if (ApiErrors.isServerFault(e)) {
                    StructuredLog.write(context, LogLevel.ERROR, failure(e));
                }
            }
            DynamoDbUsage.Totals used = usage.end();
            // built without a context too (priming), so that the snapshot holds its classes
            String route = request.method() + " " + request.resource();
            long latency = (System.nanoTime() - start) / 1_000_000;
            Map<String, Object> line = requestLine(route, latency, request, response, context);
            metrics.addRequest(line, route, response.statusCode(), latency,
                    (String) response.log().get(PLAN_FIELD), used,
                    context == null ? null : context.getFunctionName(), context == null ? -1 : ColdStart.takeInitMillis());
            StructuredLog.write(context, LogLevel.INFO, line);
            response.writeTo(output);
            return;
        }
        DynamoDbUsage usage = DynamoDbUsage.begin();
        Object result;
        try {
            result = direct(event);
        } catch (RuntimeException e) {
            DirectInvocationError error;
            try {
                error = DirectInvocationError.of(e);
            } catch (RuntimeException unexpected) {
                logDirect(context, LogLevel.ERROR, unexpected.getClass().getSimpleName(), 500, start, usage);
                throw unexpected;
            }
            logDirect(context, LogLevel.WARN, error.getClass().getSimpleName(), error.status(), start, usage);
            throw error;
        }
        logDirect(context, LogLevel.INFO, "OK", 200, start, usage);
        Json.write(result, output);
    }

    /** A direct invocation's log line and metrics, on the route "direct" with the status the API would have answered. */
    private void logDirect(Context context, LogLevel level, String outcome, int status, long start, DynamoDbUsage usage) {
        DynamoDbUsage.Totals used = usage.end();
        long latency = (System.nanoTime() - start) / 1_000_000;
        Map<String, Object> line = directLine(outcome, latency, context);
        metrics.addRequest(line, DIRECT_ROUTE, status, latency, null, used,
                context == null ? null : context.getFunctionName(), context == null ? -1 : ColdStart.takeInitMillis());
        StructuredLog.write(context, level, line);
    }

    /** The log line's field a list names its plan in (also the metrics' Plan dimension). */
    static final String PLAN_FIELD = "plan";

    /** The route of direct invocations, in log lines and as the metrics' Route dimension. */
    static final String DIRECT_ROUTE = "direct";

    /** Serves one API request; any exception is mapped by {@link ApiErrors}. */
    abstract ApiResponse handle(ApiRequest request);

    /** Serves one direct invocation: the payload in, the API's JSON body out. */
    abstract Object direct(Object payload);

    /** A direct payload that must be a JSON object, refused as the API refuses such a body. */
    static Map<String, Object> directObject(Object payload) {
        return ApiRequest.requireObject(payload);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asObject(Object json) {
        return (Map<String, Object>) json;
    }

    private static Map<String, Object> requestLine(String route, long latency, ApiRequest request, ApiResponse response,
            Context context) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("route", route);
        line.put("status", response.statusCode());
        line.put("latency_ms", latency);
        line.put("principal", request.principalName());
        line.put("request_id", context != null ? context.getAwsRequestId() : request.requestId());
        line.putAll(response.log());
        return line;
    }

    private static Map<String, Object> directLine(String outcome, long latency, Context context) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("route", DIRECT_ROUTE);
        line.put("outcome", outcome);
        line.put("latency_ms", latency);
        line.put("request_id", context != null ? context.getAwsRequestId() : null);
        return line;
    }

    private static Map<String, Object> failure(RuntimeException e) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("error", e.getClass().getName());
        return line;
    }
}
