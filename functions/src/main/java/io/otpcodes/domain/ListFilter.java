package io.otpcodes.domain;

import java.time.Instant;
import java.util.Locale;

/**
 * What a list keeps, in terms the store can judge: each bound is inclusive and null when not
 * given. Times are epoch microseconds. {@code emailKey} is the lower-cased address.
 */
public record ListFilter(
        Long idMin,
        Long idMax,
        Long createdFrom,
        Long createdTo,
        Long updatedFrom,
        Long updatedTo,
        Boolean hasMobileNumber,
        Boolean hasEmail,
        String mobileNumber,
        String emailKey,
        Boolean isAllow) {

    public static final ListFilter NONE = new ListFilter(null, null, null, null, null, null, null, null, null, null, null);

    /** Whether no code can match, whatever is stored (an empty range, say). */
    public boolean matchesNothing() {
        return empty(idMin, idMax) || empty(createdFrom, createdTo) || empty(updatedFrom, updatedTo);
    }

    /**
     * Whether this filter keeps a live code, judged in memory, for a store that reads codes it
     * cannot filter itself. A code's expiry (the retention) is the store's to judge.
     */
    public boolean keeps(OtpCode code, Instant now) {
        return inside(code.id(), idMin, idMax)
                && inside(Timestamps.toEpochMicros(code.createdAt()), createdFrom, createdTo)
                && inside(Timestamps.toEpochMicros(code.updatedAt()), updatedFrom, updatedTo)
                && (hasMobileNumber == null || hasMobileNumber == (code.mobileNumber() != null))
                && (hasEmail == null || hasEmail == (code.email() != null))
                && (mobileNumber == null || mobileNumber.equals(code.mobileNumber()))
                && (emailKey == null || code.email() != null && emailKey.equals(code.email().toLowerCase(Locale.ROOT)))
                && (isAllow == null || isAllow == code.isAllowed(now));
    }

    private static boolean inside(long value, Long min, Long max) {
        return (min == null || value >= min) && (max == null || value <= max);
    }

    private static boolean empty(Long min, Long max) {
        return min != null && max != null && min > max;
    }
}
