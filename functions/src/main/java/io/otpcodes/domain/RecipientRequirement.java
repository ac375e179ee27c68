package io.otpcodes.domain;

/**
 * What the stored code must be like for a partial update to leave exactly one recipient. The
 * store checks it in the same atomic write, so concurrent updates can never combine into a code
 * with both recipients or none.
 */
public enum RecipientRequirement {
    NONE,
    HAS_MOBILE_NUMBER,
    NO_MOBILE_NUMBER,
    HAS_EMAIL,
    NO_EMAIL
}
