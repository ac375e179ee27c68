package io.otpcodes.handler;

import io.otpcodes.api.ApiErrors;
import io.otpcodes.domain.InvalidSearchException;
import io.otpcodes.domain.Messages;
import io.otpcodes.domain.NotFoundException;
import io.otpcodes.domain.RequestException;
import io.otpcodes.domain.ValidationException;
import io.otpcodes.json.Json;
import io.otpcodes.json.JsonParseException;
import java.util.List;
import java.util.Map;

/**
 * A direct invocation's failure. Lambda reports the class name as {@code errorType}, so a Step
 * Functions {@code Catch} can branch on {@code io.otpcodes.handler.ValidationError},
 * {@code ...NotFound} or {@code ...ServiceUnavailable}; the message is the API's error body.
 */
public abstract class DirectInvocationError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    DirectInvocationError(String message, int status) {
        // no stack trace: it would only show our frames to the caller
        super(message, null, false, false);
        this.status = status;
    }

    /** The status the API answers the same failure with (for the metrics). */
    int status() {
        return status;
    }

    static DirectInvocationError of(RuntimeException e) {
        if (e instanceof DirectInvocationError) {
            return (DirectInvocationError) e;
        }
        if (e instanceof ValidationException) {
            return new ValidationError(Json.write(((ValidationException) e).errors()));
        }
        if (e instanceof InvalidSearchException) {
            return new ValidationError(Json.write(List.of(e.getMessage())));
        }
        if (e instanceof JsonParseException) {
            return new ValidationError(Json.write(Map.of("detail", Messages.jsonParseError(e.getMessage()))));
        }
        if (e instanceof RequestException) {
            return new ValidationError(Json.write(Map.of("detail", e.getMessage())));
        }
        if (e instanceof NotFoundException) {
            return new NotFound();
        }
        if (ApiErrors.isStoreUnavailable(e)) {
            return new ServiceUnavailable();
        }
        throw e;
    }
}
