package io.otpcodes.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.otpcodes.auth.Unauthorized;
import io.otpcodes.json.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Serves HTTP the way API Gateway serves the template's REST API: route, then the authorizer
 * (its answers cached per Authorization header for the template's TTL, and the cached policy
 * judged for whatever route comes next), then the function with the proxy event, and the
 * template's gateway responses for what API Gateway answers itself.
 */
final class LocalApiGateway implements HttpHandler {

    /** API Gateway's payload limit. */
    static final int MAX_BODY_BYTES = 10 * 1024 * 1024;

    private static final String ACCOUNT = "000000000000";
    private static final String API_ID = "local";

    private final ApiDefinition api;
    private final Map<String, RequestStreamHandler> functions;
    private final PrintStream log;
    private final Duration integrationTimeout;
    private final Map<String, CachedAnswer> authorizerCache = new ConcurrentHashMap<>();
    /** The functions' threads, apart from the HTTP server's, so a request can be answered when its function overruns. */
    private final ExecutorService runner = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "local-function");
        thread.setDaemon(true);
        return thread;
    });

    private record CachedAnswer(Map<String, Object> answer, long expiresAtNanos) {
    }

    LocalApiGateway(ApiDefinition api, Map<String, RequestStreamHandler> functions, PrintStream log) {
        this(api, functions, log, INTEGRATION_TIMEOUT);
    }

    /** With another limit on one integration call than API Gateway's 29 s (tests: a short one). */
    LocalApiGateway(ApiDefinition api, Map<String, RequestStreamHandler> functions, PrintStream log,
            Duration integrationTimeout) {
        this.api = api;
        this.functions = functions;
        this.log = log;
        this.integrationTimeout = integrationTimeout;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        long start = System.nanoTime();
        int status;
        try {
            status = serve(exchange);
        } catch (RuntimeException e) {
            status = send(exchange, api.gatewayResponse("DEFAULT_5XX", 502, "Internal server error"));
            log.println("local gateway: " + e.getClass().getName());
        } finally {
            exchange.close();
        }
        // One line a request: never a header, a body or a query value.
        log.printf("%s %s -> %d (%d ms)%n", exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), status,
                (System.nanoTime() - start) / 1_000_000);
    }

    private int serve(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod().toUpperCase(java.util.Locale.ROOT);
        String path = exchange.getRequestURI().getRawPath();
        ApiDefinition.Match match = api.match(method, decodePath(path));
        if (match == null) {
            return send(exchange, api.gatewayResponse("MISSING_AUTHENTICATION_TOKEN", 403, "Missing Authentication Token"));
        }
        byte[] body = readBody(exchange.getRequestBody());
        if (body == null) {
            return send(exchange, api.gatewayResponse("REQUEST_TOO_LARGE", 413, "Request Too Long"));
        }

        // The cache key is every value the authorizer gets, so a cached answer is always for
        // exactly the headers it judged.
        List<String> identities = exchange.getRequestHeaders().get(api.identityHeader());
        String identity = identities == null ? null : String.join("\n", identities);
        if (identity == null || identity.isBlank()) {
            return send(exchange, api.gatewayResponse("UNAUTHORIZED", 401, "Unauthorized"));
        }
        String methodArn = "arn:aws:execute-api:local:" + ACCOUNT + ":" + API_ID + "/" + api.stage() + "/" + method + path;
        Map<String, Object> answer;
        try {
            answer = authorize(exchange, identity, methodArn, match);
        } catch (Unauthorized e) {
            return send(exchange, api.gatewayResponse("UNAUTHORIZED", 401, "Unauthorized"));
        } catch (RuntimeException e) {
            return send(exchange, api.gatewayResponse("AUTHORIZER_FAILURE", 500, "Internal server error"));
        }
        if (!IamPolicy.allows(SamTemplate.map(answer.get("policyDocument")), methodArn)) {
            return send(exchange, api.gatewayResponse("ACCESS_DENIED", 403,
                    "User is not authorized to access this resource"));
        }

        ProxyEvent event = proxyEvent(exchange, method, path, match, body, answer);
        RequestStreamHandler function = functions.get(match.route().functionLogicalId());
        Map<String, Object> response;
        try {
            response = SamTemplate.map(Json.parse(invoke(function, match.route().functionLogicalId(),
                    Json.writeBytes(event.toMap()))));
        } catch (FunctionTimedOut e) {
            log.println("local gateway: " + match.route().functionLogicalId() + " timed out after " + e.after);
            return send(exchange, e.integrationTimeout
                    ? api.gatewayResponse("INTEGRATION_TIMEOUT", 504, "Endpoint request timed out")
                    : api.gatewayResponse("DEFAULT_5XX", 502, "Internal server error"));
        } catch (RuntimeException e) {
            return send(exchange, api.gatewayResponse("DEFAULT_5XX", 502, "Internal server error"));
        }
        return sendFunctionResponse(exchange, response);
    }

    /** The authorizer's answer, from the cache while it is fresh, as API Gateway keeps it. */
    private Map<String, Object> authorize(HttpExchange exchange, String identity, String methodArn, ApiDefinition.Match match) {
        long now = System.nanoTime();
        CachedAnswer cached = authorizerCache.get(identity);
        if (cached != null && cached.expiresAtNanos() - now > 0) {
            return cached.answer();
        }
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", "REQUEST");
        event.put("methodArn", methodArn);
        event.put("resource", match.route().path());
        event.put("path", exchange.getRequestURI().getRawPath());
        event.put("httpMethod", exchange.getRequestMethod());
        event.put("headers", singleHeaders(exchange));
        event.put("multiValueHeaders", multiHeaders(exchange));
        event.put("queryStringParameters", null);
        event.put("requestContext", Map.of("stage", api.stage(), "accountId", ACCOUNT, "apiId", API_ID));
        RequestStreamHandler authorizer = functions.get(api.authorizerFunction());
        Map<String, Object> answer = SamTemplate.map(Json.parse(invoke(authorizer, api.authorizerFunction(),
                Json.writeBytes(event))));
        if (!answer.containsKey("policyDocument")) {
            throw new IllegalStateException("the authorizer returned no policy");
        }
        if (api.authorizerCacheSeconds() > 0) {
            authorizerCache.put(identity, new CachedAnswer(answer, now + api.authorizerCacheSeconds() * 1_000_000_000L));
        }
        return answer;
    }

    private ProxyEvent proxyEvent(HttpExchange exchange, String method, String path, ApiDefinition.Match match,
            byte[] body, Map<String, Object> answer) {
        ProxyEvent event = ProxyEvent.request(method, decodePath(path))
                .resource(match.route().path())
                .stage(api.stage())
                .contextPath(decodePath(path))
                .domainName(String.valueOf(exchange.getRequestHeaders().getFirst("Host")));
        exchange.getRequestHeaders().forEach((name, values) -> values.forEach(v -> event.header(name, v)));
        String rawQuery = exchange.getRequestURI().getRawQuery();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : pair.substring(eq + 1);
                event.query(decodeQuery(name), decodeQuery(value));
            }
        }
        if (match.parameterValue() != null) {
            event.pathParameter(match.route().parameter(), decodePath(match.parameterValue()));
        }
        Map<String, Object> authorizer = new LinkedHashMap<>(SamTemplate.map(answer.get("context")));
        authorizer.put("principalId", answer.get("principalId"));
        event.authorizer(authorizer);
        if (body.length > 0) {
            String text = utf8(body);
            if (text != null) {
                event.body(text);
            } else {
                event.body(Base64.getEncoder().encodeToString(body)).base64Encoded();
            }
        }
        return event;
    }

    private int sendFunctionResponse(HttpExchange exchange, Map<String, Object> response) throws IOException {
        int status = response.get("statusCode") instanceof Number ? ((Number) response.get("statusCode")).intValue() : 502;
        SamTemplate.map(response.get("headers")).forEach((k, v) -> exchange.getResponseHeaders().set(k, String.valueOf(v)));
        SamTemplate.map(response.get("multiValueHeaders")).forEach((k, v) -> {
            for (Object value : SamTemplate.list(v)) {
                exchange.getResponseHeaders().add(k, String.valueOf(value));
            }
        });
        Object body = response.get("body");
        byte[] bytes = body == null ? new byte[0]
                : Boolean.TRUE.equals(response.get("isBase64Encoded")) ? Base64.getDecoder().decode(String.valueOf(body))
                : String.valueOf(body).getBytes(StandardCharsets.UTF_8);
        return write(exchange, status, bytes);
    }

    private int send(HttpExchange exchange, ApiDefinition.GatewayResponse response) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        response.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        return write(exchange, response.status(), response.body().getBytes(StandardCharsets.UTF_8));
    }

    private static int write(HttpExchange exchange, int status, byte[] bytes) throws IOException {
        boolean head = exchange.getRequestMethod().equalsIgnoreCase("HEAD");
        exchange.sendResponseHeaders(status, head || bytes.length == 0 ? -1 : bytes.length);
        if (!head && bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
        return status;
    }

    /**
     * Runs a function as Lambda does behind API Gateway: stopped at its template {@code Timeout}
     * (Lambda answers API Gateway with an error: a 502 to the client), or at API Gateway's 29 s
     * integration timeout if that comes first (a 504). The function's thread is interrupted and
     * left; the client is answered at that moment, as on AWS.
     */
    private byte[] invoke(RequestStreamHandler function, String logicalId, byte[] event) {
        Duration timeout = api.functionTimeout(logicalId);
        boolean integrationFirst = timeout.compareTo(integrationTimeout) >= 0;
        Duration limit = integrationFirst ? integrationTimeout : timeout;
        LocalContext context = new LocalContext(logicalId, null, (int) Math.max(1, timeout.toSeconds()),
                LocalContext.DEFAULT_MEMORY_MB, log, false);
        Future<byte[]> running = runner.submit(() -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            function.handleRequest(new ByteArrayInputStream(event), out, context);
            return out.toByteArray();
        });
        try {
            return running.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            running.cancel(true);
            throw new FunctionTimedOut(limit, integrationFirst);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.cancel(true);
            throw new IllegalStateException("interrupted while the function ran", e);
        }
    }

    /** API Gateway's limit on one integration call (REST API default). */
    static final Duration INTEGRATION_TIMEOUT = Duration.ofSeconds(29);

    /** A function that ran past its timeout (or API Gateway's). */
    private static final class FunctionTimedOut extends RuntimeException {
        final Duration after;
        final boolean integrationTimeout;

        FunctionTimedOut(Duration after, boolean integrationTimeout) {
            super(null, null, false, false);
            this.after = after;
            this.integrationTimeout = integrationTimeout;
        }
    }

    /** The body, or null when it is larger than API Gateway takes. */
    private static byte[] readBody(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        for (int n; (n = in.read(buffer)) > 0; ) {
            out.write(buffer, 0, n);
            if (out.size() > MAX_BODY_BYTES) {
                in.transferTo(OutputStream.nullOutputStream());
                return null;
            }
        }
        return out.toByteArray();
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static Map<String, String> singleHeaders(HttpExchange exchange) {
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, v.get(v.size() - 1)));
        return headers;
    }

    private static Map<String, List<String>> multiHeaders(HttpExchange exchange) {
        return new LinkedHashMap<>(exchange.getRequestHeaders());
    }

    /** A path segment as sent: {@code %xx} decoded, {@code +} kept; a malformed escape left as written. */
    static String decodePath(String raw) {
        try {
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return raw;
        }
    }

    /** A query name or value: {@code %xx} and {@code +} decoded; a malformed escape left as written. */
    static String decodeQuery(String raw) {
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return raw;
        }
    }
}
