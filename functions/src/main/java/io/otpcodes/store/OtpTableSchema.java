package io.otpcodes.store;

/**
 * The OTP table's attribute and index names, as template.yaml declares them (a test checks).
 * Times are numbers: epoch microseconds, so that ranges and orderings compare as numbers.
 */
public final class OtpTableSchema {

    public static final String ID = "id";
    public static final String CODE = "code";
    /** Absent when null, so the index on it is sparse. */
    public static final String MOBILE_NUMBER = "mobile_number";
    /** As written by the client; absent when null. */
    public static final String EMAIL = "email";
    /** The e-mail lower-cased: the key of the e-mail index, for exact case-insensitive lookups. */
    public static final String EMAIL_KEY = "email_key";
    public static final String VALID_TO = "valid_to";
    public static final String CREATED_AT = "created_at";
    public static final String UPDATED_AT = "updated_at";
    /**
     * The code's version: 1 when created, one more at every write; each write is conditioned on
     * the version it read (optimistic locking, as the SDK's enhanced client does it), so that two
     * writes of one code can never both pass, whatever their timestamps. Absent on codes an older
     * version wrote until their first write.
     */
    public static final String VERSION = "version";
    /** The TTL attribute, epoch seconds: valid_to plus the retention. */
    public static final String EXPIRES_AT = "expires_at";

    /**
     * The summaries layout that counts the code ({@link #LAYOUT}): written with every create, and
     * by the backfill on a code an older version wrote. A write changes the summaries of a code
     * only when the code says it is counted in this layout.
     */
    public static final String COUNTED = "counted";
    /** The layout of this version: coarse summaries in stripes, every family over several partition keys. */
    public static final long LAYOUT = 2;

    public static final String MOBILE_NUMBER_INDEX = "mobile_number-index";
    public static final String EMAIL_INDEX = "email-index";

    private OtpTableSchema() {
    }
}
