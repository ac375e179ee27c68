package io.otpcodes.handler;

import io.otpcodes.domain.Messages;

/** No such OTP code (or past its retention). */
public final class NotFound extends DirectInvocationError {

    private static final long serialVersionUID = 1L;

    NotFound() {
        super(Messages.NOT_FOUND, 404);
    }
}
