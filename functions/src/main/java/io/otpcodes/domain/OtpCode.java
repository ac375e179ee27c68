package io.otpcodes.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * One stored OTP code. Exactly one of {@code mobileNumber} and {@code email} is set; times have
 * microsecond precision.
 */
public record OtpCode(
        long id,
        int code,
        String mobileNumber,
        String email,
        Instant validTo,
        Instant createdAt,
        Instant updatedAt) {

    /** mobile_number if set, else email. */
    public String recipient() {
        return mobileNumber != null ? mobileNumber : email;
    }

    /** Whole seconds from {@code now} until valid_to, never negative. */
    public long ttlSeconds(Instant now) {
        return Math.max(0, Duration.between(now, validTo).getSeconds());
    }

    public boolean isAllowed(Instant now) {
        return validTo.isAfter(now);
    }
}
