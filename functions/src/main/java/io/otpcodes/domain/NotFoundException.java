package io.otpcodes.domain;

/** No such OTP code, or one whose retention has passed: 404 {@code {"detail": "Not found."}}. */
public final class NotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public NotFoundException() {
        super(Messages.NOT_FOUND, null, false, false);
    }
}
