package io.otpcodes.api;

import io.otpcodes.domain.OtpCode;
import io.otpcodes.domain.OtpCodeField;
import io.otpcodes.domain.Timestamps;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The OTPCode object as clients read it: the contract's fields, in its order, computed at {@code now}. */
public final class OtpCodeJson {

    private OtpCodeJson() {
    }

    public static Map<String, Object> render(OtpCode code, Instant now) {
        Map<String, Object> json = new LinkedHashMap<>(16);
        for (OtpCodeField field : OtpCodeField.values()) {
            json.put(field.jsonName(), value(code, field, now));
        }
        return json;
    }

    private static Object value(OtpCode code, OtpCodeField field, Instant now) {
        switch (field) {
            case ID:
                return code.id();
            case CODE:
                return code.code();
            case MOBILE_NUMBER:
                return code.mobileNumber();
            case EMAIL:
                return code.email();
            case RECIPIENT:
                return code.recipient();
            case VALID_TO:
                return Timestamps.format(code.validTo());
            case TTL:
                return code.ttlSeconds(now);
            case IS_ALLOW:
                return code.isAllowed(now);
            case CREATED_AT:
                return Timestamps.format(code.createdAt());
            case UPDATED_AT:
                return Timestamps.format(code.updatedAt());
            default:
                throw new IllegalStateException("unrendered field " + field);
        }
    }
}
