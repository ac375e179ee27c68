package io.otpcodes.store;

import io.otpcodes.domain.OtpCode;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The repository's stored form of a code, for the benchmark's bulk loads. */
public final class ItemAccess {

    private ItemAccess() {
    }

    public static Map<String, AttributeValue> item(DynamoDbOtpCodeRepository repository, OtpCode code) {
        return repository.toItem(code);
    }
}
