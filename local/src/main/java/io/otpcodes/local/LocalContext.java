package io.otpcodes.local;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The Lambda context a locally hosted function gets: its name and qualifier, a request id, the
 * time left before its template timeout, and a logger to the runtime's log (kept for the
 * invocation too when an Invoke asks for the log tail).
 */
final class LocalContext implements Context {

    static final String REGION = "us-east-1";
    static final String ACCOUNT = "000000000000";
    static final int DEFAULT_TIMEOUT_SECONDS = 15;
    static final int DEFAULT_MEMORY_MB = 1024;

    private final String functionName;
    private final String qualifier;
    private final String requestId = UUID.randomUUID().toString();
    private final long deadlineNanos;
    private final int memoryMb;
    private final StringBuilder captured;
    private final LambdaLogger logger;

    LocalContext(String functionName, PrintStream log) {
        this(functionName, null, DEFAULT_TIMEOUT_SECONDS, DEFAULT_MEMORY_MB, log, false);
    }

    LocalContext(String functionName, String qualifier, int timeoutSeconds, int memoryMb, PrintStream log,
            boolean capture) {
        this.functionName = functionName;
        this.qualifier = qualifier;
        this.deadlineNanos = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        this.memoryMb = memoryMb;
        this.captured = capture ? new StringBuilder() : null;
        this.logger = new LambdaLogger() {
            @Override
            public void log(String message) {
                String line = message.endsWith("\n") ? message : message + "\n";
                log.print(line);
                if (captured != null) {
                    synchronized (captured) {
                        captured.append(line);
                    }
                }
            }

            @Override
            public void log(byte[] message) {
                log(new String(message, StandardCharsets.UTF_8));
            }
        };
    }

    /** A function's ARN as Lambda writes it, with {@code :qualifier} when there is one. */
    static String functionArn(String functionName, String qualifier) {
        return "arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":function:" + functionName
                + (qualifier == null ? "" : ":" + qualifier);
    }

    /** What the function logged during this invocation, when capture was asked for; else empty. */
    String capturedLog() {
        if (captured == null) {
            return "";
        }
        synchronized (captured) {
            return captured.toString();
        }
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/" + functionName;
    }

    @Override
    public String getLogStreamName() {
        return "local";
    }

    @Override
    public String getFunctionName() {
        return functionName;
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return functionArn(functionName, qualifier);
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
        return (int) Math.max(0, (deadlineNanos - System.nanoTime()) / 1_000_000);
    }

    @Override
    public int getMemoryLimitInMB() {
        return memoryMb;
    }

    @Override
    public LambdaLogger getLogger() {
        return logger;
    }
}
