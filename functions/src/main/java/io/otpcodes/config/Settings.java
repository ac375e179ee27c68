package io.otpcodes.config;

import java.time.Duration;
import java.util.Map;

/**
 * Everything a function reads from its environment, read once. The names are declared in
 * template.yaml; a test checks that the two agree.
 */
public record Settings(
        String otpTableName,
        String counterTableName,
        String summaryTableName,
        String tokenTableName,
        Duration expiration,
        Duration retention,
        int pageSize,
        int idBlockSize,
        String metricsNamespace,
        String serviceName,
        Map<String, String> environment) {

    public enum Variable {
        OTP_TABLE_NAME("otp-codes"),
        COUNTER_TABLE_NAME("otp-counters"),
        SUMMARY_TABLE_NAME("otp-summaries"),
        TOKEN_TABLE_NAME("otp-tokens"),
        OTP_EXPIRATION_SECONDS("120"),
        OTP_RETENTION_SECONDS("604800"),
        OTP_PAGE_SIZE("100"),
        /**
         * The most ids a busy container takes from the counter at once (whole quanta of 25); 1
         * draws every id alone, so ids stay consecutive (the local runtime's default).
         */
        OTP_ID_BLOCK_SIZE("100"),
        /** The CloudWatch namespace of the functions' metrics (Powertools' name for it). */
        POWERTOOLS_METRICS_NAMESPACE("OtpCodes"),
        /** The {@code Service} dimension of every metric (Powertools' name for it). */
        POWERTOOLS_SERVICE_NAME("otp-codes"),
        /** Only for local runs: DynamoDB Local's URL. */
        DYNAMODB_ENDPOINT(null);

        private final String defaultValue;

        Variable(String defaultValue) {
            this.defaultValue = defaultValue;
        }

        public String defaultValue() {
            return defaultValue;
        }

        String read(Map<String, String> env) {
            String value = env.get(name());
            return value == null || value.isBlank() ? defaultValue : value.strip();
        }
    }

    public static Settings fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    public static Settings fromEnvironment(Map<String, String> env) {
        return new Settings(
                Variable.OTP_TABLE_NAME.read(env),
                Variable.COUNTER_TABLE_NAME.read(env),
                Variable.SUMMARY_TABLE_NAME.read(env),
                Variable.TOKEN_TABLE_NAME.read(env),
                Duration.ofSeconds(positive(Variable.OTP_EXPIRATION_SECONDS, env)),
                Duration.ofSeconds(positive(Variable.OTP_RETENTION_SECONDS, env)),
                (int) Math.min(positive(Variable.OTP_PAGE_SIZE, env), 1000),
                (int) Math.min(positive(Variable.OTP_ID_BLOCK_SIZE, env), 10_000),
                Variable.POWERTOOLS_METRICS_NAMESPACE.read(env),
                Variable.POWERTOOLS_SERVICE_NAME.read(env),
                Map.copyOf(env));
    }

    /** Never the environment: it holds the function's credentials. */
    @Override
    public String toString() {
        return "Settings[otpTable=" + otpTableName + ", counterTable=" + counterTableName
                + ", summaryTable=" + summaryTableName + ", tokenTable=" + tokenTableName
                + ", expiration=" + expiration + ", retention=" + retention + ", pageSize=" + pageSize
                + ", idBlockSize=" + idBlockSize + ", metricsNamespace=" + metricsNamespace
                + ", serviceName=" + serviceName + "]";
    }

    public String dynamoDbEndpoint() {
        return Variable.DYNAMODB_ENDPOINT.read(environment);
    }

    private static long positive(Variable variable, Map<String, String> env) {
        String text = variable.read(env);
        try {
            long value = Long.parseLong(text);
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalStateException(variable.name() + " must be a positive whole number, not '" + text + "'");
    }
}
