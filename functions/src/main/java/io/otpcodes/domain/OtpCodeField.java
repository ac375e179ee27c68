package io.otpcodes.domain;

/** The OTPCode object's fields, in the order the contract writes them. */
public enum OtpCodeField {
    ID("id"),
    CODE("code"),
    MOBILE_NUMBER("mobile_number"),
    EMAIL("email"),
    RECIPIENT("recipient"),
    VALID_TO("valid_to"),
    TTL("ttl"),
    IS_ALLOW("is_allow"),
    CREATED_AT("created_at"),
    UPDATED_AT("updated_at");

    private final String jsonName;

    OtpCodeField(String jsonName) {
        this.jsonName = jsonName;
    }

    public String jsonName() {
        return jsonName;
    }
}
