package io.otpcodes.api;

import io.otpcodes.domain.InvalidSearchException;
import io.otpcodes.domain.Messages;
import io.otpcodes.domain.NotFoundException;
import io.otpcodes.domain.RequestException;
import io.otpcodes.domain.StoreUnavailableException;
import io.otpcodes.domain.ValidationException;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;

/** Maps what a request ended in to the response DRF would have given. */
public final class ApiErrors {

    private ApiErrors() {
    }

    public static ApiResponse toResponse(RuntimeException e) {
        if (e instanceof ValidationException validation) {
            return ApiResponse.json(400, validation.errors());
        }
        if (e instanceof InvalidSearchException) {
            return ApiResponse.json(400, List.of(e.getMessage()));
        }
        if (e instanceof NotFoundException) {
            return ApiResponse.detail(404, Messages.NOT_FOUND);
        }
        if (e instanceof RequestException request) {
            return ApiResponse.detail(request.status(), request.detail());
        }
        if (isStoreUnavailable(e)) {
            return ApiResponse.detail(503, Messages.SERVICE_UNAVAILABLE);
        }
        return ApiResponse.detail(500, Messages.SERVER_ERROR);
    }

    /**
     * Whether the store refused or could not serve the request in time: the SDK has retried with
     * backoff already, so DynamoDB is throttling or failing. The client may retry later.
     */
    public static boolean isStoreUnavailable(RuntimeException e) {
        return e instanceof SdkException || e instanceof StoreUnavailableException;
    }

    /** Whether the failure is ours to log: anything that is not the client's doing. */
    public static boolean isServerFault(RuntimeException e) {
        return !(e instanceof ValidationException || e instanceof NotFoundException || e instanceof RequestException
                || e instanceof InvalidSearchException);
    }
}
