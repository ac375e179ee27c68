package io.otpcodes.domain;

import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A list request, read from its query parameters as the old service's filter set, SearchFilter,
 * OrderingFilter and LimitOffsetPagination read them. Invalid filter values are gathered and
 * refused together; pagination values fall back silently, as DRF's do.
 */
public record ListQuery(ListFilter filter, SearchTerms search, Ordering ordering, int limit, int offset) {

    public static final int MAX_LIMIT = 1000;

    /** The query parameters, as the contract names them. */
    public static final String LIMIT = "limit";
    public static final String OFFSET = "offset";
    public static final String SEARCH = "search";
    public static final String ORDERING = "ordering";

    private static final Pattern DATE = Pattern.compile("(\\d{4})-(\\d{1,2})-(\\d{1,2})");
    private static final long MICROS_PER_DAY = 86_400_000_000L;

    /** The filters, in the order the old filter set declared them (and reports errors in). */
    private enum Param {
        ID_MIN("id_min"),
        ID_MAX("id_max"),
        CREATED_DATE("created_date"),
        UPDATED_DATE("updated_date"),
        CREATED_FROM("created_from"),
        UPDATED_FROM("updated_from"),
        CREATED_TO("created_to"),
        UPDATED_TO("updated_to"),
        HAS_MOBILE_NUMBER("has_mobile_number"),
        HAS_EMAIL("has_email"),
        MOBILE_NUMBER("mobile_number"),
        EMAIL("email"),
        IS_ALLOW("is_allow");

        final String name;

        Param(String name) {
            this.name = name;
        }
    }

    /** Every query parameter a list reads, pagination first, then search, ordering and filters. */
    public static List<String> parameterNames() {
        List<String> names = new ArrayList<>(List.of(LIMIT, OFFSET, SEARCH, ORDERING));
        for (Param param : Param.values()) {
            names.add(param.name);
        }
        return names;
    }

    public static ListQuery parse(Map<String, String> params, int defaultLimit) {
        FieldErrors errors = new FieldErrors();
        Long idMin = number(params, Param.ID_MIN, errors);
        Long idMax = number(params, Param.ID_MAX, errors);
        LocalDate createdDate = date(params, Param.CREATED_DATE, errors);
        LocalDate updatedDate = date(params, Param.UPDATED_DATE, errors);
        LocalDate createdFrom = date(params, Param.CREATED_FROM, errors);
        LocalDate updatedFrom = date(params, Param.UPDATED_FROM, errors);
        LocalDate createdTo = date(params, Param.CREATED_TO, errors);
        LocalDate updatedTo = date(params, Param.UPDATED_TO, errors);
        Boolean hasMobileNumber = bool(params, Param.HAS_MOBILE_NUMBER, errors);
        Boolean hasEmail = bool(params, Param.HAS_EMAIL, errors);
        String mobileNumber = charText(params, Param.MOBILE_NUMBER, errors);
        String email = charText(params, Param.EMAIL, errors);
        Boolean isAllow = bool(params, Param.IS_ALLOW, errors);
        errors.throwIfAny();
        SearchTerms search = SearchTerms.parse(params.get(SEARCH));

        ListFilter filter = new ListFilter(idMin, idMax,
                dayStart(latest(createdDate, createdFrom)), dayEnd(earliest(createdDate, createdTo)),
                dayStart(latest(updatedDate, updatedFrom)), dayEnd(earliest(updatedDate, updatedTo)),
                hasMobileNumber, hasEmail,
                mobileNumber == null ? null : IranianMobileNumber.normalize(mobileNumber).orElse(mobileNumber),
                email == null ? null : email.toLowerCase(Locale.ROOT),
                isAllow);
        return new ListQuery(filter, search, Ordering.parse(params.get(ORDERING)),
                limit(params.get(LIMIT), defaultLimit), offset(params.get(OFFSET)));
    }

    /** DRF: a limit that is not a whole number of at least 1 means the default; capped. */
    private static int limit(String value, int defaultLimit) {
        Optional<BigInteger> n = value == null ? Optional.empty() : PythonInt.parse(value);
        if (n.isEmpty() || n.get().signum() <= 0) {
            return defaultLimit;
        }
        return n.get().min(BigInteger.valueOf(MAX_LIMIT)).intValue();
    }

    /** DRF: an offset that is not a whole number, or is negative, means 0. */
    private static int offset(String value) {
        Optional<BigInteger> n = value == null ? Optional.empty() : PythonInt.parse(value);
        if (n.isEmpty() || n.get().signum() < 0) {
            return 0;
        }
        return n.get().min(BigInteger.valueOf(Integer.MAX_VALUE)).intValue();
    }

    /** django-filter treats an empty value as no filter at all. */
    private static String text(Map<String, String> params, Param param) {
        String value = params.get(param.name);
        if (value == null) {
            return null;
        }
        String stripped = value.strip();
        return stripped.isEmpty() ? null : stripped;
    }

    /** A CharFilter (Django's CharField): trimmed, and refused when it holds a NUL character. */
    private static String charText(Map<String, String> params, Param param, FieldErrors errors) {
        String value = text(params, param);
        if (value != null && value.indexOf('\0') >= 0) {
            errors.add(param.name, Messages.NULL_CHARACTERS);
            return null;
        }
        return value;
    }

    /**
     * A NumberFilter (Django's DecimalField) on the integer id: Python's Decimal of the text,
     * truncated toward zero as Django's int() does for the integer column ({@link PythonDecimal}).
     */
    private static Long number(Map<String, String> params, Param param, FieldErrors errors) {
        String value = text(params, param);
        if (value == null) {
            return null;
        }
        Optional<Long> id = PythonDecimal.truncatedLong(value);
        if (id.isEmpty()) {
            errors.add(param.name, Messages.INVALID_NUMBER);
            return null;
        }
        return id.get();
    }

    private static LocalDate date(Map<String, String> params, Param param, FieldErrors errors) {
        String value = text(params, param);
        if (value == null) {
            return null;
        }
        Matcher m = DATE.matcher(value);
        try {
            // Python's date has no year 0 (Java's does): DRF answers "Enter a valid date."
            if (m.matches() && Integer.parseInt(m.group(1)) >= 1) {
                return LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
            }
        } catch (DateTimeException e) {
            // refused below
        }
        errors.add(param.name, Messages.INVALID_DATE);
        return null;
    }

    /**
     * Deviation from DRF, which ignored a bad boolean: it is refused, blanks around it included
     * (the contract's values are exact). Only an empty value means no filter.
     */
    private static Boolean bool(Map<String, String> params, Param param, FieldErrors errors) {
        String value = params.get(param.name);
        if (value == null || value.isEmpty()) {
            return null;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "1" -> Boolean.TRUE;
            case "false", "0" -> Boolean.FALSE;
            default -> {
                errors.add(param.name, Messages.INVALID_BOOLEAN);
                yield null;
            }
        };
    }

    private static LocalDate latest(LocalDate a, LocalDate b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }

    private static LocalDate earliest(LocalDate a, LocalDate b) {
        return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
    }

    private static Long dayStart(LocalDate day) {
        if (day == null) {
            return null;
        }
        Instant start = day.atStartOfDay().toInstant(ZoneOffset.UTC);
        return Timestamps.toEpochMicros(start);
    }

    private static Long dayEnd(LocalDate day) {
        return day == null ? null : dayStart(day) + MICROS_PER_DAY - 1;
    }
}
