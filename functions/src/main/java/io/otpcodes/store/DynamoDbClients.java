package io.otpcodes.store;

import io.otpcodes.config.Settings;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/**
 * Builds the one DynamoDB client a function uses. Region and credentials come straight from the
 * environment Lambda sets, which skips the SDK's provider chains at cold start; the chain is the
 * fallback for command-line use.
 */
public final class DynamoDbClients {

    private static final String LOCAL_REGION = "us-east-1";

    /**
     * One attempt may take this long; the SDK retries throttling, 5xx and timeouts with
     * backoff (DynamoDB's default: up to 9 attempts)...
     */
    static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(3);
    /** ...within this much time in all, which leaves room in the functions' 15 s timeout. */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    private DynamoDbClients() {
    }

    public static DynamoDbClient create(Settings settings) {
        return create(settings, ATTEMPT_TIMEOUT, CALL_TIMEOUT);
    }

    /** The socket's read limit, unless an attempt may take longer (bulk tools, benchmarks). */
    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(5);

    /** With other time limits: for tests of timeouts, which should not wait ten seconds, and bulk tools. */
    public static DynamoDbClient create(Settings settings, Duration attemptTimeout, Duration callTimeout) {
        return create(settings, credentials(settings.environment(), settings.dynamoDbEndpoint() != null), attemptTimeout,
                callTimeout);
    }

    /** With these credentials (a named profile's, for the local runtime against a deployed stack). */
    public static DynamoDbClient create(Settings settings, AwsCredentialsProvider credentials) {
        return create(settings, credentials, ATTEMPT_TIMEOUT, CALL_TIMEOUT);
    }

    private static DynamoDbClient create(Settings settings, AwsCredentialsProvider credentials, Duration attemptTimeout,
            Duration callTimeout) {
        Map<String, String> env = settings.environment();
        String endpoint = settings.dynamoDbEndpoint();
        DynamoDbClientBuilder builder = DynamoDbClient.builder()
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(2))
                        .socketTimeout(attemptTimeout.compareTo(SOCKET_TIMEOUT) > 0 ? attemptTimeout : SOCKET_TIMEOUT)
                        .build())
                .credentialsProvider(credentials)
                .overrideConfiguration(o -> o.apiCallAttemptTimeout(attemptTimeout).apiCallTimeout(callTimeout)
                        .addExecutionInterceptor(new DynamoDbUsageInterceptor()));
        String region = firstNonBlank(env.get("AWS_REGION"), env.get("AWS_DEFAULT_REGION"));
        if (region != null) {
            builder.region(Region.of(region));
        } else if (endpoint != null) {
            builder.region(Region.of(LOCAL_REGION));
        }
        if (endpoint != null) {
            builder.endpointOverride(URI.create(endpoint));
        }
        return builder.build();
    }

    private static AwsCredentialsProvider credentials(Map<String, String> env, boolean local) {
        if (local && (env.get("AWS_ACCESS_KEY_ID") == null || env.get("AWS_SECRET_ACCESS_KEY") == null)) {
            // DynamoDB Local accepts any key; it only keys its data by it when -sharedDb is off.
            return StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
        }
        return credentials(env);
    }

    /** The keys {@code env} names (AWS_ACCESS_KEY_ID, ...), else the SDK's default chain. */
    public static AwsCredentialsProvider credentials(Map<String, String> env) {
        String key = env.get("AWS_ACCESS_KEY_ID");
        String secret = env.get("AWS_SECRET_ACCESS_KEY");
        String session = env.get("AWS_SESSION_TOKEN");
        if (key != null && secret != null) {
            return StaticCredentialsProvider.create(session != null
                    ? AwsSessionCredentials.create(key, secret, session)
                    : AwsBasicCredentials.create(key, secret));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    private static String firstNonBlank(String a, String b) {
        if (a != null && !a.isBlank()) {
            return a;
        }
        return b != null && !b.isBlank() ? b : null;
    }
}
