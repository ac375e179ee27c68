package io.otpcodes.handler;

/** The payload broke the contract; the message is the field errors as JSON, as the API's 400 body. */
public final class ValidationError extends DirectInvocationError {

    private static final long serialVersionUID = 1L;

    ValidationError(String errorsJson) {
        super(errorsJson, 400);
    }
}
