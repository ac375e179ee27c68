package io.otpcodes.store;

import io.otpcodes.domain.OtpCode;
import io.otpcodes.domain.Timestamps;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Each code again as one line of text in a lines item of the summary table (one per
 * {@link IdBuckets#lines()} ids), written in the same transaction as the code. A list that must
 * look at every code (a search, an order other than id) reads the lines items instead of the
 * codes: DynamoDB reads fewer, larger items much faster, and the lines carry every field a list
 * filters, orders or shows.
 *
 * <p>A line never moves: its item is keyed by id ({@link IdBuckets#linesKey}), so a pass over the lines sees each code exactly once, even while codes
 * change. The item's TTL ({@code expires_at}) is kept at or after the TTL of every code in it,
 * so DynamoDB deletes it only once all its codes are gone.
 */
final class CodeLines {

    /** The attribute of one code's line: {@code c<id>}. */
    static final String LINE_PREFIX = "c";
    /** The lines item's TTL attribute, the same name as the OTP table's. */
    static final String EXPIRES_AT = OtpTableSchema.EXPIRES_AT;
    private static final String NULL = "-";
    private static final String PRESENT = "=";

    /** How a write treats the lines item's TTL. */
    enum Ttl {
        /** Sets it to the code's hour, on condition that this does not lower it: DynamoDB refuses the transaction if it would. */
        RAISE,
        /** Leaves it: the item's TTL already covers the code. */
        KEEP
    }

    private final String summaryTable;
    private final IdBuckets buckets;

    CodeLines(String summaryTable, IdBuckets buckets) {
        this.summaryTable = summaryTable;
        this.buckets = buckets;
    }

    Map<String, AttributeValue> key(long id) {
        return buckets.linesKey(id);
    }

    /**
     * Writes the lines of codes of one lines item (one code's, or the backfill's several), and,
     * with {@link Ttl#RAISE}, the item's TTL for the latest of theirs.
     */
    TransactWriteItem write(List<Line> lines, Ttl ttl) {
        Expression expression = new Expression();
        List<String> set = new ArrayList<>();
        long latest = Long.MIN_VALUE;
        for (Line line : lines) {
            latest = Math.max(latest, line.expiresAt());
            set.add(expression.name(LINE_PREFIX + line.code().id()) + " = "
                    + expression.value(AttributeValue.fromS(line.text())));
        }
        String condition = null;
        if (ttl == Ttl.RAISE) {
            String value = expression.value(AttributeValue.fromN(Long.toString(itemExpiry(latest))));
            String name = expression.name(EXPIRES_AT);
            set.add(name + " = " + value);
            // no maximum in an update expression: a write that would lower the TTL is refused instead
            condition = "attribute_not_exists(" + name + ") OR " + name + " <= " + value;
        }
        String update = "SET " + String.join(", ", set);
        String check = condition;
        return TransactWriteItem.builder().update(u -> u.tableName(summaryTable).key(key(lines.get(0).code().id()))
                .updateExpression(update).conditionExpression(check)
                .expressionAttributeNames(expression.names()).expressionAttributeValues(expression.values())).build();
    }

    /**
     * The lines item's TTL for a code's: the end of that hour, so that the codes of one hour
     * agree on it and a create seldom has to raise it.
     */
    static long itemExpiry(long expiresAt) {
        return (Math.floorDiv(expiresAt - 1, IdBuckets.SECONDS_PER_HOUR) + 1) * IdBuckets.SECONDS_PER_HOUR;
    }

    /** One code and its TTL (epoch seconds), as a line holds them. */
    record Line(OtpCode code, long expiresAt) {

        /** code, valid_to, created_at, updated_at (epoch micros), TTL, mobile number, and the e-mail last: it may hold blanks. */
        String text() {
            return code.code() + " " + Timestamps.toEpochMicros(code.validTo()) + " " + Timestamps.toEpochMicros(code.createdAt())
                    + " " + Timestamps.toEpochMicros(code.updatedAt()) + " " + expiresAt
                    + " " + (code.mobileNumber() == null ? NULL : code.mobileNumber())
                    + " " + (code.email() == null ? NULL : PRESENT + code.email());
        }
    }

    /** Whether an attribute of a lines item is a code's line. */
    static boolean isLine(String attribute) {
        return attribute.startsWith(LINE_PREFIX);
    }

    static Line parse(String attribute, String line) {
        long id = Long.parseLong(attribute, LINE_PREFIX.length(), attribute.length(), 10);
        String[] fields = line.split(" ", 7);
        String mobile = fields[5].equals(NULL) ? null : fields[5];
        String email = fields[6].equals(NULL) ? null : fields[6].substring(PRESENT.length());
        OtpCode code = new OtpCode(id, Integer.parseInt(fields[0]), mobile, email,
                Timestamps.fromEpochMicros(Long.parseLong(fields[1])), Timestamps.fromEpochMicros(Long.parseLong(fields[2])),
                Timestamps.fromEpochMicros(Long.parseLong(fields[3])));
        return new Line(code, Long.parseLong(fields[4]));
    }
}
