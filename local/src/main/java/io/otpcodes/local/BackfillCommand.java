package io.otpcodes.local;

import io.otpcodes.store.DynamoDbClients;
import io.otpcodes.store.IdBuckets;
import io.otpcodes.store.SummaryBackfill;
import java.io.PrintStream;
import java.time.Duration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code backfill}: once, after deploying the version with list summaries onto a table that an
 * older version wrote, counts the codes it holds so that lists in id order read the summaries
 * (until then they Scan, and are right). Against DynamoDB Local with {@code --endpoint-url}, or
 * against AWS with the stack's {@code OtpCodesTableName} and {@code SummariesTableName} outputs.
 */
final class BackfillCommand {

    private BackfillCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        String endpoint = null;
        String table = null;
        String summaryTable = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.equals("--endpoint-url") && !arg.equals("--table") && !arg.equals("--summary-table")) {
                err.println("unknown option: " + arg);
                return Main.USAGE;
            }
            if (i + 1 >= args.length) {
                err.println(arg + " needs a value");
                return Main.USAGE;
            }
            String value = args[++i];
            switch (arg) {
                case "--endpoint-url" -> endpoint = value;
                case "--table" -> table = value;
                default -> summaryTable = value;
            }
        }
        String endpointProblem = Endpoints.problem(endpoint);
        if (endpointProblem != null) {
            err.println(endpointProblem);
            return Main.USAGE;
        }
        if (table == null || summaryTable == null) {
            if (endpoint == null) {
                err.println("--table and --summary-table are required against AWS: the stack's OtpCodesTableName"
                        + " and SummariesTableName outputs");
                return Main.USAGE;
            }
            table = table == null ? "OtpCodesTable" : table;
            summaryTable = summaryTable == null ? "SummariesTable" : summaryTable;
        }
        // a Scan page of a big table takes seconds on DynamoDB Local, and a transaction of a
        // hundred writes may wait its turn: the functions' 3 s per attempt is for requests of one code
        try (DynamoDbClient dynamoDb = DynamoDbClients.create(TokenCommand.settings(endpoint), Duration.ofMinutes(2),
                Duration.ofMinutes(10))) {
            SummaryBackfill.Result result = new SummaryBackfill(dynamoDb, table, summaryTable, IdBuckets.DEFAULT).run();
            out.println("counted " + result.codesCounted() + " codes in " + result.transactions() + " transactions; "
                    + (result.markedReady() ? "summaries ready" : "codes kept changing: run it again")
                    + (result.stripesFolded() > 0 ? "; " + result.stripesFolded() + " stripes folded" : ""));
            return result.markedReady() ? 0 : 1;
        } catch (SdkException e) {
            err.println("DynamoDB refused: " + Endpoints.firstLine(e.getMessage()));
            return 1;
        }
    }
}
