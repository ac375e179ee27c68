package io.otpcodes.store;

import io.otpcodes.config.Settings;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The functions' store with its id allocator's timing stretched by the emulator's time scale k:
 * a container that the emulator slows k times must count as busy over k times the window, as it
 * would at AWS's speed, or it would draw single ids where on AWS it takes blocks.
 */
public final class ScaledRepositories {

    private ScaledRepositories() {
    }

    public static DynamoDbOtpCodeRepository of(DynamoDbClient dynamoDb, Settings settings, double k) {
        IdAllocator ids = new IdAllocator(dynamoDb, settings.counterTableName(), IdBuckets.DEFAULT.lines(),
                settings.idBlockSize(), Math.round(1e9 * k), Math.round(5e9 * k), System::nanoTime);
        return new DynamoDbOtpCodeRepository(dynamoDb, settings.otpTableName(), settings.counterTableName(),
                settings.summaryTableName(), settings.retention(), IdBuckets.DEFAULT, ids);
    }
}
