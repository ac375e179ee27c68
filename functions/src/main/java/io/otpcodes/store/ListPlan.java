package io.otpcodes.store;

import io.otpcodes.domain.ListFilter;
import io.otpcodes.domain.ListQuery;
import io.otpcodes.domain.Ordering;

/**
 * How a list reads DynamoDB, so that it touches only what it must:
 * <ul>
 * <li>{@code QUERY}: the index of an exact mobile_number or e-mail (every other filter ANDed);</li>
 * <li>{@code ID_ORDER}: a list in id order filtered at most by id and creation day: the
 * summaries find the page and the count, and the page is read from the lines items of its
 * quanta (consistently, so it always agrees with the count), so the cost does not grow with the
 * table;</li>
 * <li>{@code SCAN}: everything else, one pass over every code, keeping only the page in memory:
 * over the codes' lines in the summary table (about a hundredth of the items), or, on a table
 * not backfilled yet, one parallel Scan of a sparse index when the filter keeps only codes with
 * that recipient, or of the table.</li>
 * </ul>
 */
public record ListPlan(Operation operation, String index, String keyAttribute, String keyValue) {

    public enum Operation { QUERY, ID_ORDER, SCAN }

    public static ListPlan of(ListQuery query) {
        ListFilter filter = query.filter();
        if (filter.mobileNumber() != null) {
            return new ListPlan(Operation.QUERY, OtpTableSchema.MOBILE_NUMBER_INDEX, OtpTableSchema.MOBILE_NUMBER,
                    filter.mobileNumber());
        }
        if (filter.emailKey() != null) {
            return new ListPlan(Operation.QUERY, OtpTableSchema.EMAIL_INDEX, OtpTableSchema.EMAIL_KEY, filter.emailKey());
        }
        if (byIdAndCreationOnly(query)) {
            return new ListPlan(Operation.ID_ORDER, null, null, null);
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

    /** The views the summaries answer: id order, filtered by nothing but id and creation day. */
    private static boolean byIdAndCreationOnly(ListQuery query) {
        ListFilter filter = query.filter();
        return query.ordering().idOrder() != Ordering.IdOrder.NOT_BY_ID
                && query.search().isEmpty()
                && filter.updatedFrom() == null && filter.updatedTo() == null
                && filter.hasMobileNumber() == null && filter.hasEmail() == null
                && filter.isAllow() == null;
    }
}
