package io.otpcodes.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * DRF's OrderingFilter over the fields the contract names: comma-separated, {@code -} for
 * descending, unknown names dropped, {@code id} when none is left; ties broken by id. Nulls
 * sort as PostgreSQL sorts them: last ascending, first descending.
 */
public final class Ordering {

    /** The names clients may order by, and what each compares. */
    private enum Key {
        ID("id", OtpCode::id),
        CODE("code", OtpCode::code),
        MOBILE_NUMBER("mobile_number", OtpCode::mobileNumber),
        EMAIL("email", OtpCode::email),
        TTL("ttl", OtpCode::validTo),
        VALID_TO("valid_to", OtpCode::validTo),
        CREATED_AT("created_at", OtpCode::createdAt),
        UPDATED_AT("updated_at", OtpCode::updatedAt);

        final String name;
        final Function<OtpCode, Comparable<?>> value;

        Key(String name, Function<OtpCode, Comparable<?>> value) {
            this.name = name;
            this.value = value;
        }

        static Key named(String name) {
            for (Key key : values()) {
                if (key.name.equals(name)) {
                    return key;
                }
            }
            return null;
        }
    }

    private record Term(Key key, boolean descending) {
    }

    public static final Ordering DEFAULT = new Ordering(List.of(new Term(Key.ID, false)));

    private final List<Term> terms;

    private Ordering(List<Term> terms) {
        this.terms = terms;
    }

    public static Ordering parse(String param) {
        if (param == null) {
            return DEFAULT;
        }
        List<Term> terms = new ArrayList<>();
        for (String raw : param.split(",", -1)) {
            String term = raw.strip();
            // DRF strips one '-' only: "--id" names no field and is dropped
            boolean descending = term.startsWith("-");
            Key key = Key.named(descending ? term.substring(1) : term);
            if (key != null) {
                terms.add(new Term(key, descending));
            }
        }
        return terms.isEmpty() ? DEFAULT : new Ordering(List.copyOf(terms));
    }

    /** How the list is ordered by id first, if it is: then no later term can matter (ids are unique). */
    public enum IdOrder { ASCENDING, DESCENDING, NOT_BY_ID }

    public IdOrder idOrder() {
        Term first = terms.get(0);
        if (first.key != Key.ID) {
            return IdOrder.NOT_BY_ID;
        }
        return first.descending ? IdOrder.DESCENDING : IdOrder.ASCENDING;
    }

    public Comparator<OtpCode> comparator() {
        Comparator<OtpCode> comparator = null;
        for (Term term : terms) {
            Comparator<OtpCode> next = compare(term);
            comparator = comparator == null ? next : comparator.thenComparing(next);
        }
        return comparator.thenComparingLong(OtpCode::id);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Comparator<OtpCode> compare(Term term) {
        Comparator<Comparable> natural = Comparator.naturalOrder();
        // PostgreSQL: NULLS LAST when ascending, NULLS FIRST when descending; both are
        // "nulls are greater", so reversing the whole comparator does it.
        Comparator<Comparable> nullsLargest = Comparator.nullsLast(natural);
        Comparator<OtpCode> ascending = Comparator.comparing(c -> (Comparable) term.key.value.apply(c), nullsLargest);
        return term.descending ? ascending.reversed() : ascending;
    }
}
