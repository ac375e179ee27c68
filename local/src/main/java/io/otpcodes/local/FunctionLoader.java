package io.otpcodes.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.otpcodes.config.Settings;
import java.lang.reflect.InvocationTargetException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Creates a function's handler from its template {@code Handler} class, with the environment
 * the template gives it. Every handler has a public (Settings, DynamoDbClient) constructor for
 * hosts like this one, so that one client serves every function in the JVM.
 */
public final class FunctionLoader {

    private FunctionLoader() {
    }

    public static RequestStreamHandler load(String handlerClass, Settings settings, DynamoDbClient dynamoDb) {
        try {
            Class<?> type = Class.forName(handlerClass);
            return (RequestStreamHandler) type.getConstructor(Settings.class, DynamoDbClient.class)
                    .newInstance(settings, dynamoDb);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("Handler " + handlerClass + " failed to start", e.getCause());
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalStateException("Handler " + handlerClass + " cannot be hosted", e);
        }
    }
}
