package io.otpcodes.local;

import io.otpcodes.domain.DateTimeInput;
import io.otpcodes.domain.FieldErrors;
import io.otpcodes.domain.Messages;
import io.otpcodes.domain.OtpCode;
import io.otpcodes.domain.OtpCodeInput;
import io.otpcodes.domain.ValidationException;
import io.otpcodes.domain.WriteMode;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One row of a codes export read as the code it was: the create's own rules for code, mobile
 * number, e-mail and the one recipient (so nothing enters that the API would refuse), times as
 * psql writes {@code timestamptz} or as ISO 8601, microseconds kept. Never a value in a message:
 * a code or a recipient is not for a report. {@code id} is 0 when the row has no valid id.
 */
record CodeRow(long line, long id, OtpCode code, Map<String, List<String>> errors) {

    static final String ID = "id";
    static final String CODE = "code";
    static final String MOBILE_NUMBER = "mobile_number";
    static final String EMAIL = "email";
    static final String VALID_TO = "valid_to";
    static final String CREATED_AT = "created_at";
    static final String UPDATED_AT = "updated_at";

    /** The columns of a codes export, as the issue that asks for the import fixes them. */
    static final List<String> COLUMNS = List.of(ID, CODE, MOBILE_NUMBER, EMAIL, VALID_TO, CREATED_AT, UPDATED_AT);

    static final String MISSING = "Missing in this row.";
    static final String INVALID_ID = "A valid id is required: a whole number from 1 to 9007199254740991.";

    /** Ids as DynamoDB numbers and JSON clients keep them exactly: up to 2^53 - 1. */
    static final long MAX_ID = (1L << 53) - 1;

    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,16}");

    boolean valid() {
        return code != null;
    }

    static CodeRow read(CsvFile.Row row) {
        FieldErrors errors = new FieldErrors();
        long id = id(row.get(ID), errors);
        Map<String, Object> body = new HashMap<>();
        for (String field : List.of(CODE, MOBILE_NUMBER, EMAIL, VALID_TO)) {
            String value = row.get(field);
            if (value == null) {
                errors.add(field, MISSING);
            } else if (!value.isEmpty()) {
                body.put(field, value);
            }
        }
        if (!body.containsKey(VALID_TO) && row.get(VALID_TO) != null) {
            errors.add(VALID_TO, Messages.REQUIRED);
        }
        OtpCodeInput input = null;
        try {
            input = OtpCodeInput.parse(body, WriteMode.CREATE);
        } catch (ValidationException e) {
            e.errors().forEach((field, messages) -> messages.forEach(m -> errors.add(field, m)));
        }
        Instant createdAt = time(row, CREATED_AT, errors);
        Instant updatedAt = time(row, UPDATED_AT, errors);
        if (errors.isEmpty()) {
            try {
                OtpCodeInput.requireOneRecipient(input.mobileNumber(), input.email());
            } catch (ValidationException e) {
                e.errors().forEach((field, messages) -> messages.forEach(m -> errors.add(field, m)));
            }
        }
        if (!errors.isEmpty()) {
            return new CodeRow(row.line(), id, null, errors.asMap());
        }
        return new CodeRow(row.line(), id, new OtpCode(id, input.code(), input.mobileNumber(), input.email(), input.validTo(),
                createdAt, updatedAt), Map.of());
    }

    private static long id(String value, FieldErrors errors) {
        if (value == null) {
            errors.add(ID, MISSING);
            return 0;
        }
        String digits = value.strip();
        if (!DIGITS.matcher(digits).matches() || Long.parseLong(digits) < 1 || Long.parseLong(digits) > MAX_ID) {
            errors.add(ID, INVALID_ID);
            return 0;
        }
        return Long.parseLong(digits);
    }

    private static Instant time(CsvFile.Row row, String field, FieldErrors errors) {
        String value = row.get(field);
        if (value == null) {
            errors.add(field, MISSING);
            return null;
        }
        if (value.isBlank()) {
            errors.add(field, Messages.REQUIRED);
            return null;
        }
        return DateTimeInput.parse(value.strip()).orElseGet(() -> {
            errors.add(field, Messages.INVALID_DATETIME);
            return null;
        });
    }
}
