package io.otpcodes.local;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Builds the REST API proxy event that API Gateway sends a function: the same keys, the same
 * single- and multi-value forms, a request context with the stage, domain and authorizer output.
 */
public final class ProxyEvent {

    private String method = "GET";
    private String resource = "/";
    private String path = "/";
    private String stage = "api";
    private String domainName = "localhost";
    private String contextPath;
    private final Map<String, List<String>> headers = new LinkedHashMap<>();
    private final Map<String, List<String>> query = new LinkedHashMap<>();
    private final Map<String, String> pathParameters = new LinkedHashMap<>();
    private Map<String, Object> authorizer;
    private String body;
    private boolean base64Encoded;

    public static ProxyEvent request(String method, String path) {
        ProxyEvent event = new ProxyEvent();
        event.method = method;
        event.path = path;
        return event;
    }

    public ProxyEvent resource(String resource) {
        this.resource = resource;
        return this;
    }

    public ProxyEvent stage(String stage) {
        this.stage = stage;
        return this;
    }

    /**
     * The path as the client called it (requestContext.path). On the default execute-api URL
     * it starts with the stage, which is the default here; on a custom domain it does not.
     */
    public ProxyEvent contextPath(String contextPath) {
        this.contextPath = contextPath;
        return this;
    }

    public ProxyEvent domainName(String domainName) {
        this.domainName = domainName;
        return this;
    }

    public ProxyEvent header(String name, String value) {
        headers.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        return this;
    }

    public ProxyEvent query(String name, String value) {
        query.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        return this;
    }

    public ProxyEvent pathParameter(String name, String value) {
        pathParameters.put(name, value);
        return this;
    }

    public ProxyEvent authorizer(Map<String, Object> context) {
        this.authorizer = context;
        return this;
    }

    /** A JSON body, sent with {@code Content-Type: application/json}. */
    public ProxyEvent jsonBody(String json) {
        header("Content-Type", "application/json");
        return body(json);
    }

    public ProxyEvent body(String body) {
        this.body = body;
        return this;
    }

    /** The body is base64 (API Gateway does this for bytes that are not text). */
    public ProxyEvent base64Encoded() {
        this.base64Encoded = true;
        return this;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("resource", resource);
        event.put("path", path);
        event.put("httpMethod", method);
        event.put("headers", headers.isEmpty() ? null : lastValues(headers));
        event.put("multiValueHeaders", headers.isEmpty() ? null : new LinkedHashMap<>(headers));
        event.put("queryStringParameters", query.isEmpty() ? null : lastValues(query));
        event.put("multiValueQueryStringParameters", query.isEmpty() ? null : new LinkedHashMap<>(query));
        event.put("pathParameters", pathParameters.isEmpty() ? null : new LinkedHashMap<>(pathParameters));
        event.put("stageVariables", null);
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("resourcePath", resource);
        context.put("httpMethod", method);
        context.put("path", contextPath != null ? contextPath : "/" + stage + path);
        context.put("stage", stage);
        context.put("domainName", domainName);
        context.put("requestId", UUID.randomUUID().toString());
        context.put("identity", Map.of("sourceIp", "127.0.0.1"));
        if (authorizer != null) {
            context.put("authorizer", authorizer);
        }
        event.put("requestContext", context);
        event.put("body", body);
        event.put("isBase64Encoded", base64Encoded);
        return event;
    }

    private static Map<String, String> lastValues(Map<String, List<String>> multi) {
        Map<String, String> last = new LinkedHashMap<>();
        multi.forEach((k, v) -> last.put(k, v.get(v.size() - 1)));
        return last;
    }
}
