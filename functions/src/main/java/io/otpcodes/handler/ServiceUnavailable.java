package io.otpcodes.handler;

import io.otpcodes.domain.Messages;

/** DynamoDB kept failing or throttling after the SDK's retries: worth retrying later. */
public final class ServiceUnavailable extends DirectInvocationError {

    private static final long serialVersionUID = 1L;

    ServiceUnavailable() {
        super(Messages.SERVICE_UNAVAILABLE, 503);
    }
}
