package io.otpcodes.local.testing;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.otpcodes.json.Json;
import io.otpcodes.local.ProxyEvent;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(event), out, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Response(asMap(Json.parse(out.toByteArray())));
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
