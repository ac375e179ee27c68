package io.otpcodes.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.otpcodes.json.Json;
import io.otpcodes.json.JsonParseException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Lambda's Invoke API ({@code POST /2015-03-31/functions/{name}/invocations}) for the
 * template's functions, as {@code sam local start-lambda} serves it but without Docker: AWS's
 * own clients (the SDK's {@code LambdaClient}, the AWS CLI, Step Functions Local) point their
 * endpoint here. Each invocation runs the same handler instance, with the same event bytes,
 * that the local API gateway uses; nothing here is local-only logic of the functions.
 *
 * <p>What Lambda answers is kept: a function's payload with 200; a function error with 200,
 * {@code X-Amz-Function-Error: Unhandled} and the Java runtime's error body; 202 for
 * {@code Event} (the function runs after the answer), 204 for {@code DryRun}; the service's
 * own errors with {@code x-amzn-ErrorType} as the SDK decodes them. Requests are not signed
 * locally, so any credentials work.
 */
final class LocalLambdaApi implements HttpHandler {

    /** Lambda's limit of a synchronous request and of a function's response. */
    static final int MAX_SYNC_PAYLOAD_BYTES = 6 * 1024 * 1024;
    /** Lambda's limit of an asynchronous ({@code Event}) request. */
    static final int MAX_EVENT_PAYLOAD_BYTES = 1024 * 1024;
    static final String PATH_PREFIX = "/2015-03-31/functions/";
    static final String PATH_SUFFIX = "/invocations";
    /** How much of a function's log {@code X-Amz-Log-Type: Tail} returns, as Lambda does. */
    static final int LOG_TAIL_BYTES = 4096;

    /** One function as Lambda hosts it: its handler, its template timeout and memory, its alias. */
    record LambdaFunction(String logicalId, RequestStreamHandler handler, int timeoutSeconds, int memoryMb,
            String alias) {
    }

    private final Map<String, LambdaFunction> functions;
    private final ExecutorService invocations;
    private final PrintStream log;

    LocalLambdaApi(List<LambdaFunction> functions, ExecutorService invocations, PrintStream log) {
        this.functions = new LinkedHashMap<>();
        functions.forEach(f -> this.functions.put(f.logicalId(), f));
        this.invocations = invocations;
        this.log = log;
    }

    /** What one request asked for: a function, its qualifier (null: unqualified), how to run it. */
    private record Invocation(LambdaFunction function, String qualifier, String type, boolean tail) {
    }

    /** An answer of the Lambda service itself, before or instead of running a function. */
    private static final class ServiceError extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;
        final String type;

        ServiceError(int status, String type, String message) {
            super(message, null, false, false);
            this.status = status;
            this.type = type;
        }
    }

    /** A function's answer: its bytes, and the error type when it failed. */
    private record Outcome(byte[] payload, String functionError, String log) {
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        long start = System.nanoTime();
        String summary;
        try {
            summary = serve(exchange);
        } catch (ServiceError e) {
            summary = "-> " + e.status + " " + e.type;
            sendServiceError(exchange, e);
        } catch (RuntimeException e) {
            summary = "-> 500 ServiceException (" + e.getClass().getName() + ")";
            sendServiceError(exchange, new ServiceError(500, "ServiceException", "The local Lambda service failed."));
        } finally {
            exchange.close();
        }
        // One line an invocation: never a payload.
        log.printf("Lambda %s %s (%d ms)%n", exchange.getRequestMethod(), summary, (System.nanoTime() - start) / 1_000_000);
    }

    private String serve(HttpExchange exchange) throws IOException, ServiceError {
        Invocation invocation = invocation(exchange);
        String name = invocation.function().logicalId()
                + (invocation.qualifier() == null ? "" : ":" + invocation.qualifier()) + " " + invocation.type();
        byte[] payload = readPayload(exchange.getRequestBody(), invocation.type());
        if (payload.length == 0) {
            payload = "{}".getBytes(StandardCharsets.UTF_8);
        }
        try {
            Json.parse(payload);
        } catch (JsonParseException e) {
            throw new ServiceError(400, "InvalidRequestContentException",
                    "Could not parse request body into json: " + e.getMessage());
        }
        switch (invocation.type()) {
            case "DryRun" -> {
                send(exchange, 204, Map.of(), new byte[0]);
                return name + " -> 204";
            }
            case "Event" -> {
                byte[] event = payload;
                invocations.submit(() -> {
                    Outcome outcome = run(invocation, event);
                    log.printf("Lambda Event %s finished%s%n", invocation.function().logicalId(),
                            outcome.functionError() == null ? "" : " with " + outcome.functionError());
                });
                send(exchange, 202, Map.of(), new byte[0]);
                return name + " -> 202";
            }
            default -> {
                Outcome outcome = run(invocation, payload);
                Map<String, String> headers = new LinkedHashMap<>();
                headers.put("Content-Type", "application/json");
                headers.put("X-Amz-Executed-Version", "$LATEST");
                if (outcome.functionError() != null) {
                    headers.put("X-Amz-Function-Error", "Unhandled");
                }
                if (invocation.tail()) {
                    headers.put("X-Amz-Log-Result", tail(outcome.log()));
                }
                send(exchange, 200, headers, outcome.payload());
                return name + " -> 200" + (outcome.functionError() == null ? "" : " Unhandled " + outcome.functionError());
            }
        }
    }

    private Invocation invocation(HttpExchange exchange) throws ServiceError {
        String path = exchange.getRequestURI().getRawPath();
        if (!path.startsWith(PATH_PREFIX) || !path.endsWith(PATH_SUFFIX)
                || path.length() <= PATH_PREFIX.length() + PATH_SUFFIX.length()) {
            throw new ServiceError(404, "UnknownOperationException",
                    "This local endpoint serves Lambda's Invoke operation only: POST " + PATH_PREFIX + "{name}"
                            + PATH_SUFFIX);
        }
        if (!exchange.getRequestMethod().equalsIgnoreCase("POST")) {
            throw new ServiceError(405, "MethodNotAllowedException", "Invoke takes POST.");
        }
        String rawName = path.substring(PATH_PREFIX.length(), path.length() - PATH_SUFFIX.length());
        String[] reference = functionReference(LocalApiGateway.decodePath(rawName));
        String qualifier = reference[1];
        String queryQualifier = queryParameter(exchange.getRequestURI().getRawQuery(), "Qualifier");
        if (queryQualifier != null && qualifier != null && !queryQualifier.equals(qualifier)) {
            throw new ServiceError(400, "InvalidParameterValueException",
                    "The derived qualifier from the function name does not match the specified qualifier.");
        }
        if (queryQualifier != null) {
            qualifier = queryQualifier;
        }
        LambdaFunction function = functions.get(reference[0]);
        if (function == null || !(qualifier == null || qualifier.equals("$LATEST") || qualifier.equals(function.alias()))) {
            throw new ServiceError(404, "ResourceNotFoundException",
                    "Function not found: " + LocalContext.functionArn(reference[0], qualifier));
        }
        String type = exchange.getRequestHeaders().getFirst("X-Amz-Invocation-Type");
        type = type == null ? "RequestResponse" : type;
        if (!List.of("RequestResponse", "Event", "DryRun").contains(type)) {
            throw new ServiceError(400, "InvalidParameterValueException", "1 validation error detected: Value '" + type
                    + "' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set:"
                    + " [Event, RequestResponse, DryRun]");
        }
        String logType = exchange.getRequestHeaders().getFirst("X-Amz-Log-Type");
        return new Invocation(function, qualifier, type, "Tail".equals(logType) && type.equals("RequestResponse"));
    }

    /**
     * The function's name and qualifier from any of Lambda's forms: {@code name},
     * {@code name:qualifier}, {@code 123456789012:function:name[:qualifier]} and the full ARN.
     */
    static String[] functionReference(String text) {
        List<String> parts = new ArrayList<>(Arrays.asList(text.split(":", -1)));
        if (parts.size() >= 7 && parts.get(0).equals("arn") && parts.get(2).equals("lambda")) {
            parts = parts.subList(5, parts.size());
        } else if (parts.size() >= 3 && parts.get(1).equals("function")) {
            parts = parts.subList(1, parts.size());
        } else {
            parts.add(0, "function");
        }
        if (!parts.get(0).equals("function") || parts.size() > 3 || parts.get(1).isEmpty()) {
            return new String[] {text, null};
        }
        return new String[] {parts.get(1), parts.size() == 3 ? parts.get(2) : null};
    }

    private static byte[] readPayload(InputStream in, String type) throws IOException, ServiceError {
        int limit = type.equals("Event") ? MAX_EVENT_PAYLOAD_BYTES : MAX_SYNC_PAYLOAD_BYTES;
        byte[] payload = in.readNBytes(limit + 1);
        if (payload.length > limit) {
            long size = payload.length + in.transferTo(OutputStream.nullOutputStream());
            if (type.equals("Event")) {
                throw new ServiceError(413, "RequestEntityTooLargeException",
                        size + " byte payload is too large for the Event invocation type (limit " + limit + " bytes)");
            }
            throw new ServiceError(413, "RequestTooLargeException",
                    "Request must be smaller than " + limit + " bytes for the InvokeFunction operation");
        }
        return payload;
    }

    /** Runs the handler as Lambda's Java runtime does, within the function's timeout. */
    private Outcome run(Invocation invocation, byte[] payload) {
        LambdaFunction function = invocation.function();
        LocalContext context = new LocalContext(function.logicalId(), invocation.qualifier(), function.timeoutSeconds(),
                function.memoryMb(), log, invocation.tail());
        long start = System.nanoTime();
        Future<byte[]> running = invocations.submit(() -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            function.handler().handleRequest(new ByteArrayInputStream(payload), out, context);
            return out.toByteArray();
        });
        Outcome outcome;
        try {
            byte[] result = running.get(function.timeoutSeconds(), TimeUnit.SECONDS);
            outcome = result.length > MAX_SYNC_PAYLOAD_BYTES
                    ? failure("Function.ResponseSizeTooLarge", "Response payload size exceeded maximum allowed payload size ("
                            + MAX_SYNC_PAYLOAD_BYTES + " bytes).", List.of())
                    : new Outcome(result, null, null);
        } catch (TimeoutException e) {
            running.cancel(true);
            outcome = failure("Sandbox.Timedout", "RequestId: " + context.getAwsRequestId() + " Error: Task timed out after "
                    + String.format(Locale.ROOT, "%.2f", (double) function.timeoutSeconds()) + " seconds", List.of());
        } catch (ExecutionException e) {
            Throwable error = e.getCause();
            List<String> frames = Arrays.stream(error.getStackTrace()).map(StackTraceElement::toString).toList();
            outcome = failure(error.getClass().getName(), error.getMessage(), frames);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.cancel(true);
            throw new IllegalStateException("interrupted while the function ran", e);
        }
        double ms = (System.nanoTime() - start) / 1e6;
        String report = "START RequestId: " + context.getAwsRequestId() + " Version: $LATEST\n"
                + context.capturedLog()
                + "END RequestId: " + context.getAwsRequestId() + "\n"
                + String.format(Locale.ROOT, "REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: %d MB%n",
                        context.getAwsRequestId(), ms, (long) Math.ceil(ms), function.memoryMb());
        return new Outcome(outcome.payload(), outcome.functionError(), report);
    }

    /** The body Lambda's Java runtime reports for an error the handler threw. */
    private static Outcome failure(String type, String message, List<String> stackTrace) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (message != null) {
            body.put("errorMessage", message);
        }
        body.put("errorType", type);
        body.put("stackTrace", stackTrace);
        return new Outcome(Json.writeBytes(body), type, null);
    }

    private static String tail(String log) {
        byte[] bytes = log.getBytes(StandardCharsets.UTF_8);
        int from = Math.max(0, bytes.length - LOG_TAIL_BYTES);
        return Base64.getEncoder().encodeToString(Arrays.copyOfRange(bytes, from, bytes.length));
    }

    private static void sendServiceError(HttpExchange exchange, ServiceError e) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Type", e.status >= 500 ? "Service" : "User");
        body.put("message", e.getMessage());
        send(exchange, e.status, Map.of("Content-Type", "application/json", "x-amzn-ErrorType", e.type),
                Json.writeBytes(body));
    }

    private static void send(HttpExchange exchange, int status, Map<String, String> headers, byte[] body)
            throws IOException {
        headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static String queryParameter(String rawQuery, String name) {
        if (rawQuery == null) {
            return null;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && LocalApiGateway.decodeQuery(pair.substring(0, eq)).equals(name)) {
                return LocalApiGateway.decodeQuery(pair.substring(eq + 1));
            }
        }
        return null;
    }
}
