package io.otpcodes.domain;

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

    private static boolean empty(Long min, Long max) {
        return min != null && max != null && min > max;
    }
}
