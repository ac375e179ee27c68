package io.otpcodes.domain;

/**
 * The store answered, but not in a way a request can be served from in time (reads that kept
 * taking too long to be consistent): answered 503 as a throttled DynamoDB is, for the client to
 * retry, never 500.
 */
public final class StoreUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(String message) {
        super(message);
    }
}
