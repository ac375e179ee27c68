package io.otpcodes.domain;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Errors of one request, gathered by field in the order they were found, as DRF reports them. */
public final class FieldErrors {

    public static final String NON_FIELD_ERRORS = "non_field_errors";

    private final Map<String, List<String>> errors = new LinkedHashMap<>();

    public FieldErrors add(String field, String message) {
        errors.computeIfAbsent(field, f -> new ArrayList<>()).add(message);
        return this;
    }

    public boolean isEmpty() {
        return errors.isEmpty();
    }

    public Map<String, List<String>> asMap() {
        return Collections.unmodifiableMap(errors);
    }

    /** Throws the gathered errors, if any. */
    public void throwIfAny() {
        if (!errors.isEmpty()) {
            throw new ValidationException(this);
        }
    }

    public static ValidationException single(String field, String message) {
        return new ValidationException(new FieldErrors().add(field, message));
    }
}
