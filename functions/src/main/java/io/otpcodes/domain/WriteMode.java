package io.otpcodes.domain;

/** How a body is read: POST creates, PUT replaces, PATCH changes only what it names. */
public enum WriteMode {
    CREATE,
    REPLACE,
    PATCH;

    boolean requiresCode() {
        return this != PATCH;
    }
}
