package io.otpcodes.store;

/** The counter table: one item per sequence, so counters never show up among OTP codes. */
public final class CounterTableSchema {

    public static final String NAME = "name";
    public static final String VALUE = "value";
    /** The sequence that numbers OTP codes. */
    public static final String OTP_CODE_ID = "otp_code_id";

    private CounterTableSchema() {
    }
}
