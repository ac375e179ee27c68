package io.otpcodes.store;

import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Placeholders for one DynamoDB expression. Every attribute name and every value goes in through
 * here, so no text from a request ever becomes part of an expression.
 */
final class Expression {

    private final Map<String, String> names = new HashMap<>();
    private final Map<String, AttributeValue> values = new HashMap<>();

    /** The placeholder of an attribute name ({@code #name}), added once. */
    String name(String attribute) {
        String placeholder = "#" + attribute.replaceAll("[^A-Za-z0-9_]", "_");
        names.put(placeholder, attribute);
        return placeholder;
    }

    /** A fresh placeholder for a value ({@code :v0}, {@code :v1}, ...). */
    String value(AttributeValue value) {
        String placeholder = ":v" + values.size();
        values.put(placeholder, value);
        return placeholder;
    }

    Map<String, String> names() {
        return names;
    }

    Map<String, AttributeValue> values() {
        return values.isEmpty() ? null : values;
    }
}
