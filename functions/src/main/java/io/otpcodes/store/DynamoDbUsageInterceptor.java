package io.otpcodes.store;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsRequest;

/**
 * Counts every DynamoDB call a request makes into its {@link DynamoDbUsage}: asks DynamoDB for
 * the units it consumed (TOTAL, when the call did not ask), adds them up as read or write units
 * by the operation, and counts attempts, and the attempts refused for a transaction conflict or
 * for throughput (throttles, which the SDK retries). Calls made outside
 * a request (the command-line tools) are left as they are.
 */
final class DynamoDbUsageInterceptor implements ExecutionInterceptor {

    /** Asks for the units consumed (TOTAL) on every call that can report them and did not ask. */
    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes executionAttributes) {
        SdkRequest request = context.request();
        if (DynamoDbUsage.current() == null || request.getValueForField(RETURN_CONSUMED_CAPACITY, Object.class).isPresent()) {
            return request;
        }
        SdkRequest.Builder builder = request.toBuilder();
        if (builder instanceof SdkPojo pojo) {
            for (SdkField<?> field : pojo.sdkFields()) {
                if (field.memberName().equals(RETURN_CONSUMED_CAPACITY)) {
                    field.set(builder, ReturnConsumedCapacity.TOTAL.toString());
                    return builder.build();
                }
            }
        }
        return request;
    }

    private static final String RETURN_CONSUMED_CAPACITY = "ReturnConsumedCapacity";

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes executionAttributes) {
        DynamoDbUsage usage = DynamoDbUsage.current();
        if (usage != null) {
            usage.add(0, 0, 0, 1, 0, 0, 0);
        }
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes executionAttributes) {
        DynamoDbUsage usage = DynamoDbUsage.current();
        if (usage == null) {
            return;
        }
        double units = context.response().getValueForField("ConsumedCapacity", Object.class)
                .map(DynamoDbUsageInterceptor::units).orElse(0.0);
        boolean read = isRead(context.request());
        usage.add(read ? units : 0, read ? 0 : units, 1, 0, 0, 0, 0);
    }

    /**
     * Reads each refused attempt's error (a small JSON body) for a throttle or a transaction
     * conflict: the SDK retries throttles itself, so only the attempts show them all.
     */
    @Override
    public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context,
            ExecutionAttributes executionAttributes) {
        Optional<InputStream> content = context.responseBody();
        DynamoDbUsage usage = DynamoDbUsage.current();
        if (usage == null || context.httpResponse().statusCode() != 400 || content.isEmpty()) {
            return content;
        }
        byte[] body;
        try {
            body = content.get().readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String error = new String(body, StandardCharsets.UTF_8);
        boolean conflict = error.contains("TransactionConflict");
        boolean throttle = THROTTLES.stream().anyMatch(error::contains);
        usage.add(0, 0, 0, 0, 0, conflict ? 1 : 0, throttle ? 1 : 0);
        return Optional.of(new ByteArrayInputStream(body));
    }

    /** How DynamoDB names a refusal for throughput: as an error's type, or a cancelled transaction's reason. */
    private static final List<String> THROTTLES = List.of("ProvisionedThroughputExceeded", "ThrottlingException",
            "ThrottlingError", "RequestLimitExceeded");

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes executionAttributes) {
        DynamoDbUsage usage = DynamoDbUsage.current();
        if (usage != null) {
            usage.add(0, 0, 1, 0, 0, 0, 0);
        }
    }

    private static boolean isRead(SdkRequest request) {
        return request instanceof GetItemRequest || request instanceof QueryRequest || request instanceof ScanRequest
                || request instanceof BatchGetItemRequest || request instanceof TransactGetItemsRequest;
    }

    /** The units of one ConsumedCapacity, or of a list of them (batches and transactions: one a table). */
    private static double units(Object consumed) {
        if (consumed instanceof ConsumedCapacity capacity) {
            return capacity.capacityUnits() == null ? 0 : capacity.capacityUnits();
        }
        double sum = 0;
        if (consumed instanceof List<?> list) {
            for (Object each : list) {
                sum += units(each);
            }
        }
        return sum;
    }
}
