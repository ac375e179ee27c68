package io.otpcodes.auth;

/**
 * Thrown by the authorizer to make API Gateway answer 401: it recognises exactly the error
 * message "Unauthorized". The DRF reason stays in {@link #reason()} for logs and local hosts.
 */
public final class Unauthorized extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public static final String MESSAGE = "Unauthorized";

    private final String reason;

    public Unauthorized(String reason) {
        super(MESSAGE, null, false, false);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
