package io.otpcodes.local;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar otp-local.jar serve ...} runs the API locally; {@code token ...} issues,
 * revokes and lists API tokens, locally or on AWS. The command line is an interface: keep it.
 */
public final class Main {

    static final int USAGE = 2;

    static final String HELP = String.join("\n",
            "usage: java -jar otp-local.jar serve [--port 3000] [--lambda-port 3001] [--dynamodb-port 8000] [--data-dir .otp-local | --in-memory]",
            "       java -jar otp-local.jar serve [--port 3000] [--lambda-port 3001] --endpoint-url URL",
            "       java -jar otp-local.jar serve [--port 3000] [--lambda-port 3001] --stack NAME [--region R] [--profile P]",
            "       java -jar otp-local.jar token create [--endpoint-url URL] [--table NAME] [--name NAME] [--admin] [--staff]"
                    + " [--permissions 2851,2852,2853]",
            "       java -jar otp-local.jar token revoke [--endpoint-url URL] [--table NAME] TOKEN | --id ID",
            "       java -jar otp-local.jar token list [--endpoint-url URL] [--table NAME]",
            "       java -jar otp-local.jar backfill [--endpoint-url URL] [--table NAME --summary-table NAME]",
            "       java -jar otp-local.jar import codes FILE [--endpoint-url URL | --stack NAME [--region R] [--profile P]"
                    + " | --table NAME --summary-table NAME --counter-table NAME] [--dry-run | --verify] [--reserve-ids "
                    + CodeImport.DEFAULT_RESERVE + "] [--threads " + CodeImport.DEFAULT_THREADS + "]",
            "       java -jar otp-local.jar import tokens FILE [--endpoint-url URL | --stack NAME [--region R] [--profile P]"
                    + " | --table NAME] [--dry-run]");

    private Main() {
    }

    public static void main(String[] args) {
        int code;
        try {
            code = args.length > 0 && args[0].equals("serve")
                    ? serve(Arrays.copyOfRange(args, 1, args.length), System.out, System.err)
                    : run(args, System.out, System.err);
        } catch (RuntimeException e) {
            // one line, as every other failure of a command; a stack trace helps no user here
            System.err.println("failed: " + Endpoints.firstLine(String.valueOf(e.getMessage())) + " ("
                    + e.getClass().getSimpleName() + ")");
            code = 1;
        }
        System.exit(code);
    }

    /** Every command but serve, which blocks until the JVM is told to stop. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            (args.length == 0 ? err : out).println(HELP);
            return args.length == 0 ? USAGE : 0;
        }
        if (args[0].equals("token")) {
            return TokenCommand.run(Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        if (args[0].equals("import")) {
            return ImportCommand.run(Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        if (args[0].equals("backfill")) {
            return BackfillCommand.run(Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        err.println("unknown command: " + args[0]);
        err.println(HELP);
        return USAGE;
    }

    private static int serve(String[] args, PrintStream out, PrintStream err) {
        ServeCommand.Parsed parsed = ServeCommand.parse(args, System.getenv());
        if (parsed.error() != null) {
            err.println(parsed.error());
            err.println(HELP);
            return USAGE;
        }
        LocalRuntime runtime;
        try {
            runtime = ServeCommand.start(parsed.options(), out);
        } catch (ServeCommand.StartFailure e) {
            err.println(e.getMessage());
            return USAGE;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                runtime.close();
            } catch (Exception e) {
                // stopping anyway
            }
            stopped.countDown();
        }, "otp-local-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
