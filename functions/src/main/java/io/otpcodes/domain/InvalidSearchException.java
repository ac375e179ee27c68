package io.otpcodes.domain;

/** A search value DRF refuses outright: 400 with the bare list {@code ["Null characters are not allowed."]}. */
public final class InvalidSearchException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidSearchException() {
        super(Messages.NULL_CHARACTERS, null, false, false);
    }
}
