package io.otpcodes.handler;

import io.otpcodes.config.Settings;
import io.otpcodes.store.DynamoDbUsage;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CloudWatch metrics in the Embedded Metric Format: a function's JSON log line that also carries
 * an {@code _aws} block naming some of its members as metrics, which CloudWatch Logs turns into
 * metrics of the namespace; no agent, no call, no library. Names and dimensions follow Powertools
 * for AWS Lambda: the namespace from {@code POWERTOOLS_METRICS_NAMESPACE}, a {@code Service}
 * dimension from {@code POWERTOOLS_SERVICE_NAME} on every metric, {@code ColdStart} by function.
 *
 * <p>Per request (a direct invocation's route is "direct", its status the API's for the same
 * outcome), by service and by service and route (and, for lists, by service and plan):
 * Requests, ClientErrors and ServerErrors (1 or 0: their average is the error rate), Latency,
 * the ReadUnits and WriteUnits DynamoDB reported, the attempts refused for a transaction
 * conflict (TransactionConflicts) or for throughput (Throttles), and the Retries made (the SDK's
 * and the store's). Per cold start:
 * ColdStart and InitDuration, from the function's first class to its first request.
 */
final class EmbeddedMetrics {

    static final String SERVICE = "Service";
    static final String ROUTE = "Route";
    static final String PLAN = "Plan";
    static final String FUNCTION = "Function";
    static final String OUTCOME = "Outcome";

    /** Every metric the lines carry: all that template.yaml's alarms and dashboard may name. */
    static final Set<String> METRICS = Set.of("Requests", "ClientErrors", "ServerErrors", "Latency", "ReadUnits",
            "WriteUnits", "TransactionConflicts", "Retries", "Throttles", "ColdStart", "InitDuration");
    /** Every dimension they carry. */
    static final Set<String> DIMENSIONS = Set.of(SERVICE, ROUTE, PLAN, FUNCTION, OUTCOME);

    private final String namespace;
    private final String service;

    EmbeddedMetrics(String namespace, String service) {
        this.namespace = namespace;
        this.service = service;
    }

    static EmbeddedMetrics of(Settings settings) {
        return new EmbeddedMetrics(settings.metricsNamespace(), settings.serviceName());
    }

    /** With the template's defaults: for tests that build a handler from its parts. */
    static EmbeddedMetrics defaults() {
        return new EmbeddedMetrics(Settings.Variable.POWERTOOLS_METRICS_NAMESPACE.defaultValue(),
                Settings.Variable.POWERTOOLS_SERVICE_NAME.defaultValue());
    }

    String namespace() {
        return namespace;
    }

    /** One metric: its name, CloudWatch unit and value. */
    record Metric(String name, String unit, Number value) {
    }

    /**
     * The metrics of a request, added to its log line: {@code route} is the dimension's value (a
     * method and a resource template, never a path with an id), {@code plan} null but for lists,
     * {@code initMillis} negative but on a cold start.
     */
    void addRequest(Map<String, Object> line, String route, int status, long latencyMillis, String plan,
            DynamoDbUsage.Totals usage, String function, long initMillis) {
        List<Metric> metrics = List.of(
                new Metric("Requests", "Count", 1),
                new Metric("ClientErrors", "Count", status >= 400 && status < 500 ? 1 : 0),
                new Metric("ServerErrors", "Count", status >= 500 ? 1 : 0),
                new Metric("Latency", "Milliseconds", latencyMillis),
                new Metric("ReadUnits", "Count", units(usage.readUnits())),
                new Metric("WriteUnits", "Count", units(usage.writeUnits())),
                new Metric("TransactionConflicts", "Count", usage.conflicts()),
                new Metric("Retries", "Count", usage.retries()),
                new Metric("Throttles", "Count", usage.throttles()));
        Map<String, String> dimensions = new LinkedHashMap<>();
        dimensions.put(ROUTE, route);
        List<List<String>> sets = new ArrayList<>(List.of(List.of(SERVICE), List.of(SERVICE, ROUTE)));
        if (plan != null) {
            dimensions.put(PLAN, plan);
            sets.add(List.of(SERVICE, PLAN));
        }
        line.put("StatusClass", status / 100 + "xx");
        add(line, dimensions, List.of(new Directive(sets, metrics)), function, initMillis);
    }

    /** The metrics of an authorizer's answer: Requests, Latency and ReadUnits by service and outcome, and its cold start. */
    void addAuthorizer(Map<String, Object> line, String outcome, long latencyMillis, DynamoDbUsage.Totals usage,
            String function, long initMillis) {
        List<Metric> metrics = List.of(
                new Metric("Requests", "Count", 1),
                new Metric("Latency", "Milliseconds", latencyMillis),
                new Metric("ReadUnits", "Count", units(usage.readUnits())),
                new Metric("Throttles", "Count", usage.throttles()));
        add(line, Map.of(ROUTE, "authorizer", OUTCOME, outcome),
                List.of(new Directive(List.of(List.of(SERVICE, ROUTE), List.of(SERVICE, ROUTE, OUTCOME)), metrics)),
                function, initMillis);
    }

    private record Directive(List<List<String>> dimensionSets, List<Metric> metrics) {
    }

    private void add(Map<String, Object> line, Map<String, String> dimensions, List<Directive> directives, String function,
            long initMillis) {
        List<Directive> all = new ArrayList<>(directives);
        line.put(SERVICE, service);
        line.putAll(dimensions);
        if (initMillis >= 0) {
            line.put(FUNCTION, function);
            all.add(new Directive(List.of(List.of(SERVICE, FUNCTION)), List.of(
                    new Metric("ColdStart", "Count", 1), new Metric("InitDuration", "Milliseconds", initMillis))));
        }
        List<Object> directiveJson = new ArrayList<>();
        for (Directive directive : all) {
            List<Object> metricJson = new ArrayList<>();
            for (Metric metric : directive.metrics()) {
                line.put(metric.name(), metric.value());
                Map<String, Object> definition = new LinkedHashMap<>();
                definition.put("Name", metric.name());
                definition.put("Unit", metric.unit());
                metricJson.add(definition);
            }
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("Namespace", namespace);
            json.put("Dimensions", directive.dimensionSets());
            json.put("Metrics", metricJson);
            directiveJson.add(json);
        }
        Map<String, Object> aws = new LinkedHashMap<>();
        aws.put("Timestamp", System.currentTimeMillis());
        aws.put("CloudWatchMetrics", directiveJson);
        line.put("_aws", aws);
    }

    /** Units as DynamoDB reports them (halves of a unit for eventually consistent reads), exactly. */
    private static BigDecimal units(double units) {
        return BigDecimal.valueOf(units);
    }
}
