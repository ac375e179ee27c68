package io.otpcodes.handler;

import io.otpcodes.auth.DynamoDbTokenRepository;
import io.otpcodes.auth.TokenAuthorizer;
import io.otpcodes.config.Settings;
import io.otpcodes.domain.OtpCodeRepository;
import io.otpcodes.domain.OtpCodeService;
import io.otpcodes.store.DynamoDbClients;
import io.otpcodes.store.DynamoDbOtpCodeRepository;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * What a function's JVM builds once: its settings and its DynamoDB client, created on first use
 * by the Lambda runtime's no-argument constructor and kept for every later invocation.
 */
final class Functions {

    private Functions() {
    }

    private static final class FromEnvironment {
        static final Settings SETTINGS = Settings.fromEnvironment();
        static final DynamoDbClient DYNAMO_DB = DynamoDbClients.create(SETTINGS);
        static final OtpCodeService OTP_CODES = otpCodeService(SETTINGS, DYNAMO_DB);
    }

    static TokenAuthorizer tokenAuthorizer() {
        return new TokenAuthorizer(new DynamoDbTokenRepository(FromEnvironment.DYNAMO_DB,
                FromEnvironment.SETTINGS.tokenTableName()));
    }

    /** Primes the store's request paths of this use (changing nothing) before a SnapStart snapshot. */
    static void primeStore(OtpCodeRepository.Use use) {
        Priming.registerAction(() -> FromEnvironment.OTP_CODES.warmUp(use));
    }

    static Settings settings() {
        return FromEnvironment.SETTINGS;
    }

    static OtpCodeService otpCodeService() {
        return FromEnvironment.OTP_CODES;
    }

    static OtpCodeService otpCodeService(Settings settings, DynamoDbClient dynamoDb) {
        return new OtpCodeService(
                new DynamoDbOtpCodeRepository(dynamoDb, settings),
                Clock.systemUTC(),
                settings.expiration());
    }
}
