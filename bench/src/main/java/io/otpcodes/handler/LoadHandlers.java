package io.otpcodes.handler;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.otpcodes.config.Settings;
import io.otpcodes.domain.OtpCodeService;
import io.otpcodes.store.ScaledRepositories;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The write functions' handlers, one per simulated Lambda container (its own store and id
 * blocks), with the allocator's timing scaled by k. In the handler package, in the bench module,
 * only for the handlers' package-private constructors.
 */
public final class LoadHandlers {

    private LoadHandlers() {
    }

    public static RequestStreamHandler create(Settings settings, DynamoDbClient dynamoDb, double k) {
        return new CreateOtpCodeHandler(service(settings, dynamoDb, k));
    }

    public static RequestStreamHandler update(Settings settings, DynamoDbClient dynamoDb, double k) {
        return new UpdateOtpCodeHandler(service(settings, dynamoDb, k));
    }

    private static OtpCodeService service(Settings settings, DynamoDbClient dynamoDb, double k) {
        return new OtpCodeService(ScaledRepositories.of(dynamoDb, settings, k), Clock.systemUTC(), settings.expiration());
    }
}
