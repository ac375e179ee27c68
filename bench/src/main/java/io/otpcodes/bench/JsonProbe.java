package io.otpcodes.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.jr.ob.JSON;
import io.otpcodes.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The JSON work of one request in a fresh JVM, three ways: read the proxy event, read its body,
 * write a response. Usage: JsonProbe core|databind|jr EVENT_FILE
 */
public final class JsonProbe {

    private JsonProbe() {
    }

    @SuppressWarnings("unchecked")
    public static void main(String[] args) throws Exception {
        byte[] event = Files.readAllBytes(Path.of(args[1]));
        String out;
        switch (args[0]) {
            case "core": {
                Map<String, Object> e = (Map<String, Object>) Json.parse(event);
                Map<String, Object> body = (Map<String, Object>) Json.parse((String) e.get("body"));
                out = Json.write(Map.of("statusCode", 201, "body", Json.write(body)));
                break;
            }
            case "databind": {
                ObjectMapper mapper = new ObjectMapper();
                JsonNode e = mapper.readTree(event);
                JsonNode body = mapper.readTree(e.get("body").asText());
                out = mapper.writeValueAsString(Map.of("statusCode", 201, "body", mapper.writeValueAsString(body)));
                break;
            }
            case "jr": {
                Map<String, Object> e = JSON.std.mapFrom(event);
                Map<String, Object> body = JSON.std.mapFrom(e.get("body"));
                out = JSON.std.asString(Map.of("statusCode", 201, "body", JSON.std.asString(body)));
                break;
            }
            default:
                throw new IllegalArgumentException(args[0]);
        }
        if (out.isEmpty()) {
            throw new IllegalStateException();
        }
        Probes.report();
    }
}
