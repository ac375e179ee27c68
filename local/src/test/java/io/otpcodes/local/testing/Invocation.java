package io.otpcodes.local.testing;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.otpcodes.json.Json;
import io.otpcodes.local.ProxyEvent;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Calls a function's stream handler with an event, as the Lambda runtime does, and reads the response. */
public final class Invocation {

    private Invocation() {
    }

    public static Response invoke(RequestStreamHandler handler, ProxyEvent event) {
        return invoke(handler, Json.writeBytes(event.toMap()));
    }

    public static Response invoke(RequestStreamHandler handler, byte[] event) {
        return invoke(handler, event, null);
    }

    /** With a Lambda context (null: none, as priming calls a handler), whose logger the handler writes its lines to. */
    public static Response invoke(RequestStreamHandler handler, ProxyEvent event, Context context) {
        return invoke(handler, Json.writeBytes(event.toMap()), context);
    }

    public static Response invoke(RequestStreamHandler handler, byte[] event, Context context) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(event), out, context);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Response(asMap(Json.parse(out.toByteArray())));
    }

    /** A Lambda context of the function {@code functionName} whose logger appends to {@code log}. */
    public static Context context(String functionName, StringBuilder log) {
        LambdaLogger logger = new LambdaLogger() {
            @Override
            public void log(String message) {
                synchronized (log) {
                    log.append(message);
                }
            }

            @Override
            public void log(byte[] message) {
                log(new String(message, StandardCharsets.UTF_8));
            }
        };
        return new Context() {
            public String getAwsRequestId() { return "test"; }
            public String getLogGroupName() { return "test"; }
            public String getLogStreamName() { return "test"; }
            public String getFunctionName() { return functionName; }
            public String getFunctionVersion() { return "$LATEST"; }
            public String getInvokedFunctionArn() { return "arn:aws:lambda:eu-central-1:123456789012:function:" + functionName; }
            public CognitoIdentity getIdentity() { return null; }
            public ClientContext getClientContext() { return null; }
            public int getRemainingTimeInMillis() { return 10_000; }
            public int getMemoryLimitInMB() { return 1024; }
            public LambdaLogger getLogger() { return logger; }
        };
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object value) {
        return (Map<String, Object>) value;
    }

    /** A proxy response: status, headers and the body, parsed. */
    public record Response(Map<String, Object> raw) {

        public int status() {
            return ((Number) raw.get("statusCode")).intValue();
        }

        public String header(String name) {
            Object value = asMap(raw.get("headers")).get(name);
            return value == null ? null : value.toString();
        }

        public String bodyText() {
            return (String) raw.get("body");
        }

        public Object json() {
            return Json.parse(bodyText());
        }

        public Map<String, Object> object() {
            return asMap(json());
        }

        @SuppressWarnings("unchecked")
        public List<String> errors(String field) {
            return (List<String>) object().get(field);
        }
    }
}
