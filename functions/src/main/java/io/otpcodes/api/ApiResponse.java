package io.otpcodes.api;

import io.otpcodes.domain.Messages;
import io.otpcodes.json.Json;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An API Gateway proxy response whose body is JSON, and what the request's log line should say
 * of how it was served (never the body: no code, no recipient).
 */
public record ApiResponse(int statusCode, Map<String, String> headers, Object body, Map<String, Object> log) {

    public ApiResponse(int statusCode, Map<String, String> headers, Object body) {
        this(statusCode, headers, body, Map.of());
    }

    /** This response, with fields for the request's log line. */
    public ApiResponse withLog(Map<String, Object> fields) {
        return new ApiResponse(statusCode, headers, body, fields);
    }

    public static ApiResponse json(int statusCode, Object body) {
        return new ApiResponse(statusCode, Map.of(), body);
    }

    public static ApiResponse detail(int statusCode, String detail) {
        return json(statusCode, Map.of("detail", detail));
    }

    public static ApiResponse methodNotAllowed(String method, String resource) {
        return new ApiResponse(405, Map.of("Allow", Route.allowHeader(resource)),
                Map.of("detail", Messages.methodNotAllowed(method)));
    }

    /** The proxy response object: statusCode, headers, body (JSON text). */
    public Map<String, Object> toProxyResponse() {
        Map<String, Object> allHeaders = new LinkedHashMap<>();
        allHeaders.put("Content-Type", "application/json");
        allHeaders.putAll(headers);
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("statusCode", statusCode);
        response.put("headers", allHeaders);
        response.put("body", Json.write(body));
        response.put("isBase64Encoded", false);
        return response;
    }

    public void writeTo(OutputStream out) {
        Json.write(toProxyResponse(), out);
    }
}
