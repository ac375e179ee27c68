package io.otpcodes.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import io.otpcodes.domain.Timestamps;
import io.otpcodes.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One JSON log line of a function, with the fields Lambda's JSON log format has (timestamp,
 * level) first. It is handed to the runtime as bytes: with {@code LogFormat: JSON} the Java
 * runtime wraps a String message in its own JSON as an escaped string, which Logs Insights
 * cannot query by field; bytes go out as they are, still filtered by the function's log level.
 */
final class StructuredLog {

    private StructuredLog() {
    }

    static void write(Context context, LogLevel level, Map<String, Object> fields) {
        if (context == null) {
            return;
        }
        Map<String, Object> line = new LinkedHashMap<>();
        // Timestamps, not Instant.toString(): that would load java.time.format at the first request
        line.put("timestamp", Timestamps.format(Instant.now()));
        line.put("level", level.name());
        line.putAll(fields);
        context.getLogger().log((Json.write(line) + "\n").getBytes(StandardCharsets.UTF_8), level);
    }
}
