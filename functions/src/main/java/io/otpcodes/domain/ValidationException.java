package io.otpcodes.domain;

import java.util.List;
import java.util.Map;

/** A request the contract refuses: 400 with {@code {"field": ["message", ...]}}. */
public final class ValidationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Map<String, List<String>> errors;

    public ValidationException(FieldErrors errors) {
        super("invalid fields " + errors.asMap().keySet(), null, false, false);
        this.errors = errors.asMap();
    }

    public Map<String, List<String>> errors() {
        return errors;
    }
}
