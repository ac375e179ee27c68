package io.otpcodes.domain;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Date-times as DRF's DateTimeField reads them (Django's {@code parse_datetime}): {@code T} or a
 * blank between date and time, seconds and fraction optional, {@code Z} or {@code +HH[:]MM}
 * offsets, a naive value read as UTC, and a date alone as its midnight UTC.
 */
public final class DateTimeInput {

    private static final Pattern DATE_TIME = Pattern.compile(
            "(\\d{4})-(\\d{1,2})-(\\d{1,2})[T ](\\d{1,2}):(\\d{1,2})"
                    + "(?::(\\d{1,2})(?:[.,](\\d{1,6})\\d{0,6})?)?"
                    + "\\s*(Z|[+-]\\d{2}(?::?\\d{2})?)?\\n?");

    private static final Pattern DATE = Pattern.compile("(\\d{4})-(\\d{2})-(\\d{2})");

    private DateTimeInput() {
    }

    private static final Instant MIN = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant MAX = Instant.parse("9999-12-31T23:59:59.999999Z");

    public static Optional<Instant> parse(String text) {
        return parseAny(text).filter(t -> !t.isBefore(MIN) && !t.isAfter(MAX));
    }

    private static Optional<Instant> parseAny(String text) {
        try {
            Matcher date = DATE.matcher(text);
            if (date.matches()) {
                return Optional.of(LocalDate.of(num(date.group(1)), num(date.group(2)), num(date.group(3)))
                        .atStartOfDay().toInstant(ZoneOffset.UTC));
            }
            Matcher m = DATE_TIME.matcher(text);
            if (!m.matches()) {
                return Optional.empty();
            }
            int nanos = m.group(7) == null ? 0 : num((m.group(7) + "00000").substring(0, 6)) * 1000;
            LocalDateTime local = LocalDateTime.of(num(m.group(1)), num(m.group(2)), num(m.group(3)),
                    num(m.group(4)), num(m.group(5)), m.group(6) == null ? 0 : num(m.group(6)), nanos);
            return Optional.of(local.toInstant(offset(m.group(8))));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    private static ZoneOffset offset(String zone) {
        if (zone == null || zone.equals("Z")) {
            return ZoneOffset.UTC;
        }
        int sign = zone.charAt(0) == '-' ? -1 : 1;
        String digits = zone.substring(1).replace(":", "");
        int hours = num(digits.substring(0, 2));
        int minutes = digits.length() > 2 ? num(digits.substring(2)) : 0;
        if (minutes > 59) {
            throw new DateTimeException("bad offset");
        }
        // Python refuses offsets of a whole day or more; ZoneOffset allows up to 18 hours.
        return ZoneOffset.ofTotalSeconds(sign * (hours * 3600 + minutes * 60));
    }

    private static int num(String digits) {
        return Integer.parseInt(digits);
    }
}
