package io.otpcodes.json;

/** Text that is not one JSON document; the message says where, as Python's json module does. */
public final class JsonParseException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public JsonParseException(String reason) {
        super(reason);
    }

    public JsonParseException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
