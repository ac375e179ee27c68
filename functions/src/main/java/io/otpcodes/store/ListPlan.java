package io.otpcodes.store;

import io.otpcodes.domain.ListFilter;

/**
 * How a list reads DynamoDB, so that it touches only what it must: a Query on the index of an
 * exact mobile_number or e-mail; a Scan of a sparse index when the filter keeps only codes with
 * that recipient; a Scan of the table otherwise.
 */
public record ListPlan(Operation operation, String index, String keyAttribute, String keyValue) {

    public enum Operation { QUERY, SCAN }

    public static ListPlan of(ListFilter filter) {
        if (filter.mobileNumber() != null) {
            return new ListPlan(Operation.QUERY, OtpTableSchema.MOBILE_NUMBER_INDEX, OtpTableSchema.MOBILE_NUMBER,
                    filter.mobileNumber());
        }
        if (filter.emailKey() != null) {
            return new ListPlan(Operation.QUERY, OtpTableSchema.EMAIL_INDEX, OtpTableSchema.EMAIL_KEY, filter.emailKey());
        }
        // Every code has exactly one recipient, so "no mobile number" keeps what the e-mail
        // index holds, and the other way round.
        if (Boolean.TRUE.equals(filter.hasMobileNumber()) || Boolean.FALSE.equals(filter.hasEmail())) {
            return new ListPlan(Operation.SCAN, OtpTableSchema.MOBILE_NUMBER_INDEX, null, null);
        }
        if (Boolean.TRUE.equals(filter.hasEmail()) || Boolean.FALSE.equals(filter.hasMobileNumber())) {
            return new ListPlan(Operation.SCAN, OtpTableSchema.EMAIL_INDEX, null, null);
        }
        return new ListPlan(Operation.SCAN, null, null, null);
    }
}
