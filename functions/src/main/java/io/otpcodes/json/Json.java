package io.otpcodes.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * JSON in and out on jackson-core's streaming API alone: no data binding, no reflection, so
 * a cold start loads a handful of classes.
 *
 * <p>Values are plain Java: {@code Map<String, Object>} (insertion ordered), {@code List<Object>},
 * {@code String}, {@code Boolean}, {@code null}, integers as {@code Long} or {@code BigInteger},
 * and fractions as {@link JsonFloat} so that callers can tell {@code 1} from {@code 1.0}.
 * A duplicate key keeps its last value, as Python's json module does.
 */
public final class Json {

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(512)
                    .maxNumberLength(1000)
                    .maxStringLength(20_000_000)
                    .build())
            .build();

    private Json() {
    }

    /** A JSON number with a fraction or an exponent, kept as written. */
    public record JsonFloat(String text) {
        public double doubleValue() {
            return Double.parseDouble(text);
        }
    }

    public static Object parse(String text) {
        return parse(() -> FACTORY.createParser(text));
    }

    public static Object parse(byte[] utf8) {
        return parse(() -> FACTORY.createParser(utf8));
    }

    public static Object parse(InputStream in) {
        return parse(() -> FACTORY.createParser(in));
    }

    /** Opens a parser on some source; the one place its errors become ours. */
    private interface ParserSource {
        JsonParser open() throws IOException;
    }

    private static Object parse(ParserSource source) {
        try (JsonParser parser = source.open()) {
            return parseDocument(parser);
        } catch (JsonProcessingException e) {
            throw new JsonParseException(describe(e), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Object parseDocument(JsonParser parser) throws IOException {
        JsonToken first = parser.nextToken();
        if (first == null) {
            throw new JsonParseException("Expecting value: line 1 column 1 (char 0)");
        }
        Object value = readValue(parser, first);
        if (parser.nextToken() != null) {
            throw new JsonParseException("Extra data: " + where(parser.currentTokenLocation()));
        }
        return value;
    }

    private static Object readValue(JsonParser parser, JsonToken token) throws IOException {
        switch (token) {
            case START_OBJECT:
                Map<String, Object> object = new LinkedHashMap<>();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
                    // a duplicate key keeps its first place and takes its last value, as in a Python dict
                    object.put(parser.currentName(), readValue(parser, parser.nextToken()));
                }
                return object;
            case START_ARRAY:
                List<Object> array = new ArrayList<>();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
                    array.add(readValue(parser, t));
                }
                return array;
            case VALUE_STRING:
                return parser.getText();
            case VALUE_NUMBER_INT:
                return parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? parser.getBigIntegerValue()
                        : (Object) parser.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return new JsonFloat(parser.getText());
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new JsonParseException("Unexpected token " + token + ": " + where(parser.currentTokenLocation()));
        }
    }

    /**
     * The parser's complaint in the words of Python's json module, as DRF reports it, and never
     * naming the parser's own settings (Jackson's messages say which feature to enable).
     */
    static String describe(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        int cut = message.indexOf('\n');
        if (cut >= 0) {
            message = message.substring(0, cut);
        }
        Matcher constant = NON_NUMERIC.matcher(message);
        if (constant.find()) {
            // DRF's strict_constant: NaN and the infinities are refused whatever the location
            return "Out of range float values are not JSON compliant: '" + constant.group(1) + "'";
        }
        if (message.contains("nesting depth")) {
            return "maximum recursion depth exceeded while decoding a JSON document";
        }
        if (message.startsWith("Unexpected end-of-input")) {
            message = message.contains("close marker") ? "Expecting ',' delimiter" : "Expecting value";
        } else if (message.startsWith("Number value length")) {
            message = "Number too long";
        }
        int setting = message.indexOf('`');
        if (setting >= 0) {
            message = message.substring(0, setting).replaceAll("[\\s(:,;]*(enable|from|\\[Source)?[\\s(:,;]*$", "");
        }
        JsonLocation location = e.getLocation();
        return location == null ? message : message + ": " + where(location);
    }

    private static final Pattern NON_NUMERIC = Pattern.compile("Non-standard token '(-?Infinity|\\+?Infinity|NaN)'");

    private static String where(JsonLocation location) {
        long offset = location.getCharOffset() >= 0 ? location.getCharOffset() : location.getByteOffset();
        return "line " + location.getLineNr() + " column " + location.getColumnNr() + " (char " + Math.max(0, offset) + ")";
    }

    /** Compact JSON (no blanks), non-ASCII text written as is. */
    public static String write(Object value) {
        return new String(writeBytes(value), StandardCharsets.UTF_8);
    }

    public static byte[] writeBytes(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        write(value, out);
        return out.toByteArray();
    }

    public static void write(Object value, OutputStream out) {
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            writeValue(generator, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeValue(JsonGenerator generator, Object value) throws IOException {
        if (value == null) {
            generator.writeNull();
        } else if (value instanceof String) {
            generator.writeString((String) value);
        } else if (value instanceof Map) {
            generator.writeStartObject();
            for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                generator.writeFieldName(String.valueOf(entry.getKey()));
                writeValue(generator, entry.getValue());
            }
            generator.writeEndObject();
        } else if (value instanceof List) {
            generator.writeStartArray();
            for (Object item : (List<?>) value) {
                writeValue(generator, item);
            }
            generator.writeEndArray();
        } else if (value instanceof Boolean) {
            generator.writeBoolean((Boolean) value);
        } else if (value instanceof Integer || value instanceof Long) {
            generator.writeNumber(((Number) value).longValue());
        } else if (value instanceof BigInteger) {
            generator.writeNumber((BigInteger) value);
        } else if (value instanceof BigDecimal) {
            generator.writeNumber((BigDecimal) value);
        } else if (value instanceof JsonFloat) {
            generator.writeNumber(((JsonFloat) value).text());
        } else {
            throw new IllegalArgumentException("Not a JSON value: " + value.getClass().getName());
        }
    }

    /** The name Python gives to a parsed JSON value's type, for DRF's messages. */
    public static String pythonTypeName(Object value) {
        if (value == null) {
            return "NoneType";
        } else if (value instanceof Map) {
            return "dict";
        } else if (value instanceof List) {
            return "list";
        } else if (value instanceof String) {
            return "str";
        } else if (value instanceof Boolean) {
            return "bool";
        } else if (value instanceof JsonFloat) {
            return "float";
        }
        return "int";
    }
}
