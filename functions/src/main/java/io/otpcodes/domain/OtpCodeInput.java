package io.otpcodes.domain;

import io.otpcodes.json.Json;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The writable fields of one request body, validated as DRF's serializer validates them.
 * {@code code} and {@code validTo} are null when the body leaves them out (neither may be null);
 * the recipient fields carry a flag, since "given as null" and "left out" differ for PATCH.
 */
public record OtpCodeInput(
        Integer code,
        boolean hasMobileNumber,
        String mobileNumber,
        boolean hasEmail,
        String email,
        Instant validTo) {

    public static final long CODE_MIN = 0;
    public static final long CODE_MAX = Integer.MAX_VALUE;

    /** DRF's IntegerField refuses strings longer than this before reading them. */
    private static final int MAX_INTEGER_STRING_LENGTH = 1000;

    /** DRF strips a trailing {@code .0} (and blanks) before int(): "5.0" and 5.0 are 5. */
    private static final Pattern TRAILING_ZERO_FRACTION = Pattern.compile("\\.0*\\s*$");

    /** Python writes floats from 1e16 up in exponent form, which int() then refuses. */
    private static final double FLOAT_EXPONENT_FORM = 1e16;

    /** Reads {@code body}; all field errors of the body come back together. */
    public static OtpCodeInput parse(Map<String, Object> body, WriteMode mode) {
        FieldErrors errors = new FieldErrors();
        Integer code = readCode(body, mode, errors);
        String mobile = readMobileNumber(body, errors);
        String email = readEmail(body, errors);
        Instant validTo = readValidTo(body, errors);
        errors.throwIfAny();
        // PUT replaces the recipient fields: one left out becomes null.
        boolean replaceRecipients = mode != WriteMode.PATCH;
        return new OtpCodeInput(code,
                replaceRecipients || body.containsKey(field(OtpCodeField.MOBILE_NUMBER)), mobile,
                replaceRecipients || body.containsKey(field(OtpCodeField.EMAIL)), email,
                validTo);
    }

    /**
     * What the stored object must be like for this input to leave exactly one recipient, when
     * the input does not settle it alone; throws when the input alone breaks the rule.
     */
    public RecipientRequirement recipientRequirement() {
        if (hasMobileNumber && hasEmail) {
            requireOneRecipient(mobileNumber, email);
            return RecipientRequirement.NONE;
        }
        if (hasMobileNumber) {
            return mobileNumber != null ? RecipientRequirement.NO_EMAIL : RecipientRequirement.HAS_EMAIL;
        }
        if (hasEmail) {
            return email != null ? RecipientRequirement.NO_MOBILE_NUMBER : RecipientRequirement.HAS_MOBILE_NUMBER;
        }
        return RecipientRequirement.NONE;
    }

    /** Exactly one recipient, judged on the object as it will be stored. */
    public static void requireOneRecipient(String mobileNumber, String email) {
        if ((mobileNumber == null) == (email == null)) {
            throw FieldErrors.single(FieldErrors.NON_FIELD_ERRORS, Messages.ONE_RECIPIENT);
        }
    }

    private static String field(OtpCodeField f) {
        return f.jsonName();
    }

    private static Integer readCode(Map<String, Object> body, WriteMode mode, FieldErrors errors) {
        String name = field(OtpCodeField.CODE);
        if (!body.containsKey(name)) {
            if (mode.requiresCode()) {
                errors.add(name, Messages.REQUIRED);
            }
            return null;
        }
        Object value = body.get(name);
        if (value == null) {
            errors.add(name, Messages.NOT_NULL);
            return null;
        }
        if (value instanceof String && ((String) value).length() > MAX_INTEGER_STRING_LENGTH) {
            errors.add(name, Messages.INTEGER_STRING_TOO_LONG);
            return null;
        }
        Optional<BigInteger> number = wholeNumber(value);
        if (number.isEmpty()) {
            errors.add(name, Messages.INVALID_INTEGER);
            return null;
        }
        BigInteger n = number.get();
        if (n.compareTo(BigInteger.valueOf(CODE_MIN)) < 0) {
            errors.add(name, Messages.minValue(CODE_MIN));
            return null;
        }
        if (n.compareTo(BigInteger.valueOf(CODE_MAX)) > 0) {
            errors.add(name, Messages.maxValue(CODE_MAX));
            return null;
        }
        return n.intValue();
    }

    private static Optional<BigInteger> wholeNumber(Object value) {
        if (value instanceof Long) {
            return Optional.of(BigInteger.valueOf((Long) value));
        }
        if (value instanceof BigInteger) {
            return Optional.of((BigInteger) value);
        }
        if (value instanceof Json.JsonFloat) {
            double d = ((Json.JsonFloat) value).doubleValue();
            boolean whole = Double.isFinite(d) && d == Math.rint(d) && Math.abs(d) < FLOAT_EXPONENT_FORM;
            return whole ? Optional.of(BigInteger.valueOf((long) d)) : Optional.empty();
        }
        if (value instanceof String) {
            return PythonInt.parse(TRAILING_ZERO_FRACTION.matcher((String) value).replaceFirst(""));
        }
        return Optional.empty(); // booleans, lists and objects are not integers
    }

    private static String readMobileNumber(Map<String, Object> body, FieldErrors errors) {
        String name = field(OtpCodeField.MOBILE_NUMBER);
        Object value = body.get(name);
        if (value == null) {
            return null;
        }
        String text = charFieldText(value);
        if (text == null) {
            errors.add(name, Messages.INVALID_STRING);
            return null;
        }
        if (text.isEmpty()) {
            return null;
        }
        Optional<String> normalized = IranianMobileNumber.normalize(text);
        if (normalized.isEmpty()) {
            errors.add(name, Messages.INVALID_MOBILE_NUMBER);
        }
        if (text.indexOf('\0') >= 0) {
            errors.add(name, Messages.NULL_CHARACTERS);
        }
        return normalized.orElse(null);
    }

    private static String readEmail(Map<String, Object> body, FieldErrors errors) {
        String name = field(OtpCodeField.EMAIL);
        Object value = body.get(name);
        if (value == null) {
            return null;
        }
        String text = charFieldText(value);
        if (text == null) {
            errors.add(name, Messages.INVALID_EMAIL);
            return null;
        }
        if (text.isEmpty()) {
            return null;
        }
        boolean valid = true;
        if (text.length() > EmailAddress.MAX_LENGTH) {
            errors.add(name, Messages.maxLength(EmailAddress.MAX_LENGTH));
            valid = false;
        }
        if (text.indexOf('\0') >= 0) {
            errors.add(name, Messages.NULL_CHARACTERS);
            valid = false;
        }
        if (!EmailAddress.isValid(text)) {
            errors.add(name, Messages.INVALID_EMAIL);
            valid = false;
        }
        return valid ? text : null;
    }

    /** DRF's CharField: strings and numbers as text, trimmed; null for other types. */
    private static String charFieldText(Object value) {
        if (value instanceof String) {
            return ((String) value).strip();
        }
        if (value instanceof Long || value instanceof BigInteger) {
            return value.toString();
        }
        if (value instanceof Json.JsonFloat) {
            return ((Json.JsonFloat) value).text();
        }
        return null;
    }

    private static Instant readValidTo(Map<String, Object> body, FieldErrors errors) {
        String name = field(OtpCodeField.VALID_TO);
        if (!body.containsKey(name)) {
            return null;
        }
        Object value = body.get(name);
        if (value == null) {
            errors.add(name, Messages.NOT_NULL);
            return null;
        }
        Optional<Instant> parsed = value instanceof String ? DateTimeInput.parse((String) value) : Optional.empty();
        if (parsed.isEmpty()) {
            errors.add(name, Messages.INVALID_DATETIME);
            return null;
        }
        return Timestamps.truncate(parsed.get());
    }
}
