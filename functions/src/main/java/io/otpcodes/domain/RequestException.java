package io.otpcodes.domain;

/**
 * A refused request whose body is DRF's {@code {"detail": "..."}}: a malformed body (400), a
 * media type we do not read (415), a method a path does not serve (405).
 */
public final class RequestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    public RequestException(int status, String detail) {
        super(detail, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public String detail() {
        return getMessage();
    }
}
