package io.otpcodes.api;

import io.otpcodes.domain.FieldErrors;
import io.otpcodes.domain.Messages;
import io.otpcodes.domain.RequestException;
import io.otpcodes.json.Json;
import io.otpcodes.json.JsonParseException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The parts of an API Gateway REST proxy event that the functions read. */
public final class ApiRequest {

    /** API Gateway's payload limit (10 MB); a direct host could send more. */
    public static final int MAX_BODY_CHARS = 10 * 1024 * 1024;

    private final Map<String, Object> event;
    private final Map<String, String> headers;

    private ApiRequest(Map<String, Object> event) {
        this.event = event;
        this.headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(stringMap(event.get("headers")));
    }

    /** Whether {@code event} is an API Gateway proxy event, as opposed to a direct payload. */
    public static boolean isProxyEvent(Map<String, Object> event) {
        return event.get("httpMethod") instanceof String && event.containsKey("requestContext");
    }

    public static ApiRequest of(Map<String, Object> event) {
        return new ApiRequest(event);
    }

    public String method() {
        return String.valueOf(event.get("httpMethod")).toUpperCase(Locale.ROOT);
    }

    /** The template's resource path this request was routed to, without a trailing slash. */
    public String resource() {
        Object resource = event.get("resource");
        String path = resource instanceof String ? (String) resource : "";
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /** The path the client called, as API Gateway reports it. */
    public String path() {
        Object path = event.get("path");
        return path instanceof String ? (String) path : "/";
    }

    public String pathParameter(String name) {
        return stringMap(event.get("pathParameters")).get(name);
    }

    public String header(String name) {
        return headers.get(name);
    }

    /** Query parameters, the last value where one repeats (as DRF). */
    public Map<String, String> queryParameters() {
        Map<String, String> result = new LinkedHashMap<>(stringMap(event.get("queryStringParameters")));
        Object multi = event.get("multiValueQueryStringParameters");
        if (multi instanceof Map) {
            for (Map.Entry<?, ?> entry : ((Map<?, ?>) multi).entrySet()) {
                if (entry.getValue() instanceof List && !((List<?>) entry.getValue()).isEmpty()) {
                    List<?> values = (List<?>) entry.getValue();
                    result.put(String.valueOf(entry.getKey()), String.valueOf(values.get(values.size() - 1)));
                }
            }
        }
        return result;
    }

    /** Every value of every query parameter, in the order API Gateway gives them. */
    public Map<String, List<String>> multiValueQueryParameters() {
        Map<String, List<String>> result = new LinkedHashMap<>();
        Object multi = event.get("multiValueQueryStringParameters");
        if (multi instanceof Map) {
            for (Map.Entry<?, ?> entry : ((Map<?, ?>) multi).entrySet()) {
                if (entry.getValue() instanceof List) {
                    List<String> values = new ArrayList<>();
                    ((List<?>) entry.getValue()).forEach(v -> values.add(String.valueOf(v)));
                    result.put(String.valueOf(entry.getKey()), values);
                }
            }
            return result;
        }
        stringMap(event.get("queryStringParameters")).forEach((k, v) -> result.put(k, List.of(v)));
        return result;
    }

    /**
     * The URL the client called, without its query: scheme from X-Forwarded-Proto, host from
     * the Host header, and the path as called (with the stage when the default execute-api
     * URL was used), so that links lead back to the same place.
     */
    public String absoluteUrlWithoutQuery() {
        String scheme = header("X-Forwarded-Proto");
        if (scheme == null || scheme.isBlank()) {
            scheme = "http";
        }
        scheme = scheme.split(",")[0].strip().toLowerCase(Locale.ROOT);
        String host = header("Host");
        if (host == null || host.isBlank()) {
            Object domain = requestContext().get("domainName");
            host = domain instanceof String ? (String) domain : "localhost";
        }
        Object contextPath = requestContext().get("path");
        String calledPath = contextPath instanceof String && ((String) contextPath).endsWith(path()) ? (String) contextPath : path();
        return scheme + "://" + host.strip() + calledPath;
    }

    public Map<String, Object> requestContext() {
        Object context = event.get("requestContext");
        return context instanceof Map ? castMap(context) : Collections.emptyMap();
    }

    /**
     * The body as a JSON object, as DRF's JSONParser reads it: an empty body is {@code {}},
     * a body that is not JSON is a 400, a media type other than JSON a 415.
     */
    public Map<String, Object> jsonObject() {
        Object body = event.get("body");
        if (!(body instanceof String) || ((String) body).isEmpty()) {
            return new LinkedHashMap<>();
        }
        if (((String) body).length() > MAX_BODY_CHARS) {
            throw new RequestException(413, Messages.BODY_TOO_LARGE);
        }
        requireJsonMediaType();
        Object parsed;
        try {
            parsed = Boolean.TRUE.equals(event.get("isBase64Encoded"))
                    ? Json.parse(strictUtf8(Base64.getMimeDecoder().decode((String) body)))
                    : Json.parse((String) body);
        } catch (JsonParseException | IllegalArgumentException e) {
            throw new RequestException(400, Messages.jsonParseError(e.getMessage()));
        }
        return requireObject(parsed);
    }

    /** A parsed body that must be an object: null and other types refused as DRF refuses them. */
    public static Map<String, Object> requireObject(Object parsed) {
        if (parsed == null) {
            throw FieldErrors.single(FieldErrors.NON_FIELD_ERRORS, Messages.NO_DATA);
        }
        if (!(parsed instanceof Map)) {
            throw FieldErrors.single(FieldErrors.NON_FIELD_ERRORS, Messages.invalidDataType(Json.pythonTypeName(parsed)));
        }
        return castMap(parsed);
    }

    /** The authorizer's principal name, for logs; null when there was no authorizer. */
    public String principalName() {
        Object authorizer = requestContext().get("authorizer");
        if (!(authorizer instanceof Map)) {
            return null;
        }
        Object name = ((Map<?, ?>) authorizer).get("name");
        if (name == null) {
            name = ((Map<?, ?>) authorizer).get("principalId");
        }
        return name == null ? null : String.valueOf(name);
    }

    public String requestId() {
        Object id = requestContext().get("requestId");
        return id == null ? null : String.valueOf(id);
    }

    /** No Content-Type at all is read as JSON: kinder than DRF, which saw an empty body. */
    private void requireJsonMediaType() {
        String contentType = header("Content-Type");
        if (contentType == null || contentType.isBlank()) {
            return;
        }
        int semicolon = contentType.indexOf(';');
        String mediaType = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip();
        if (!mediaType.equalsIgnoreCase("application/json")) {
            throw new RequestException(415, Messages.unsupportedMediaType(contentType));
        }
    }

    private static String strictUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new JsonParseException("'utf-8' codec can't decode the body: invalid UTF-8");
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> castMap(Object map) {
        return (Map<String, Object>) map;
    }

    static Map<String, String> stringMap(Object value) {
        if (!(value instanceof Map)) {
            return Collections.emptyMap();
        }
        Map<String, String> result = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
            if (entry.getValue() != null) {
                result.put(String.valueOf(entry.getKey()), String.valueOf(entry.getValue()));
            }
        }
        return result;
    }
}
