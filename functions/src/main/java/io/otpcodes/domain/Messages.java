package io.otpcodes.domain;

/** Every message a client can read, worded as Django REST Framework words it. Defined once. */
public final class Messages {

    public static final String REQUIRED = "This field is required.";
    public static final String NOT_NULL = "This field may not be null.";
    public static final String INVALID_INTEGER = "A valid integer is required.";
    public static final String INTEGER_STRING_TOO_LONG = "String value too large.";
    public static final String INVALID_STRING = "Not a valid string.";
    public static final String INVALID_EMAIL = "Enter a valid email address.";
    public static final String INVALID_MOBILE_NUMBER = "Enter a valid Iranian mobile number.";
    public static final String INVALID_DATETIME = "Datetime has wrong format. Use one of these formats instead: "
            + "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].";
    public static final String INVALID_DATE = "Enter a valid date.";
    public static final String INVALID_NUMBER = "Enter a number.";
    public static final String INVALID_BOOLEAN = "Must be a valid boolean.";
    public static final String NULL_CHARACTERS = "Null characters are not allowed.";
    public static final String ONE_RECIPIENT =
            "Either one field from mobile_number or email should be provided (only one).";
    public static final String NO_DATA = "No data provided";
    public static final String NOT_FOUND = "Not found.";
    public static final String NOT_AUTHENTICATED = "Authentication credentials were not provided.";
    public static final String INVALID_TOKEN = "Invalid token.";
    public static final String INVALID_TOKEN_HEADER_NO_CREDENTIALS =
            "Invalid token header. No credentials provided.";
    public static final String INVALID_TOKEN_HEADER_SPACES =
            "Invalid token header. Token string should not contain spaces.";
    public static final String INVALID_TOKEN_HEADER_CHARACTERS =
            "Invalid token header. Token string should not contain invalid characters.";
    public static final String INACTIVE_USER = "User inactive or deleted.";
    public static final String PERMISSION_DENIED = "You do not have permission to perform this action.";
    public static final String SERVICE_UNAVAILABLE = "Service temporarily unavailable, try again later.";
    public static final String SERVER_ERROR = "A server error occurred.";
    public static final String BODY_TOO_LARGE = "Request body is too large.";

    private Messages() {
    }

    public static String minValue(long min) {
        return "Ensure this value is greater than or equal to " + min + ".";
    }

    public static String maxValue(long max) {
        return "Ensure this value is less than or equal to " + max + ".";
    }

    public static String maxLength(int max) {
        return "Ensure this field has no more than " + max + " characters.";
    }

    public static String jsonParseError(String reason) {
        return "JSON parse error - " + reason;
    }

    public static String invalidDataType(String pythonTypeName) {
        return "Invalid data. Expected a dictionary, but got " + pythonTypeName + ".";
    }

    public static String methodNotAllowed(String method) {
        return "Method \"" + method + "\" not allowed.";
    }

    public static String unsupportedMediaType(String contentType) {
        return "Unsupported media type \"" + contentType + "\" in request.";
    }
}
