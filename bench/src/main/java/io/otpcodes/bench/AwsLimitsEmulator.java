package io.otpcodes.bench;

import com.fasterxml.jackson.jr.ob.JSON;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;

/**
 * A loopback proxy in front of DynamoDB Local that adds what DynamoDB Local lacks of DynamoDB's
 * limits under load, so that a design whose items every request shares shows its ceiling here
 * as it would on AWS. The rules, each with where it comes from:
 * <ul>
 * <li><b>Latency</b> per operation (PutItem/UpdateItem/DeleteItem 6 ms, GetItem 5 ms, Query and
 * Scan 8 ms, TransactWriteItems 25 ms): published p50 figures of DynamoDB called from Lambda in
 * the same region (PutItem p50 7.6 ms, a 5-item TransactWriteItems p50 25 ms, as issue 19 cites).</li>
 * <li><b>One write transaction at a time holds an item.</b> A TransactWriteItems that touches an
 * item (Put, Update, Delete or ConditionCheck) while another accepted transaction holds it is
 * cancelled with {@code TransactionCanceledException}, reason {@code TransactionConflict} for that
 * item and {@code None} for the others; a plain write of a held item gets
 * {@code TransactionConflictException}. Source: the DynamoDB developer guide, "Transaction
 * conflict handling in DynamoDB", and the USENIX ATC 2023 paper on DynamoDB transactions (a
 * storage node refuses to prepare an item another accepted transaction writes). The item is held
 * for the transaction's whole latency.</li>
 * <li><b>1,000 write units and 3,000 read units a second per partition key</b>: the developer
 * guide's partition limits ("Best practices for designing and using partition keys
 * effectively"; per partition, and one key value cannot be split across partitions for writes
 * that share it). A write unit is 1 KB of the item (the larger of its size before and after),
 * doubled inside a transaction ("Capacity management for transactions"); a read unit 4 KB of a
 * strongly consistent read. A write over the limit is refused as AWS refuses it: a plain write
 * with {@code ProvisionedThroughputExceededException} (the SDK backs off and retries it), a
 * transaction with {@code TransactionCanceledException}, reason {@code ThrottlingError} for the
 * item. Units are counted in a one-second bucket per key that holds at most one second of them.</li>
 * </ul>
 * <p>Time scale {@code k}: every latency is multiplied by k and every limit divided by k, so a
 * 2-core machine reproduces at 1/k of the rate the contention AWS sees at its full rate:
 * requests per second here times k is the AWS-equivalent figure.
 */
final class AwsLimitsEmulator implements AutoCloseable {

    static final String ERROR_PREFIX = "com.amazonaws.dynamodb.v20120810#";
    static final double WRITE_UNITS_PER_KEY = 1000;
    static final double READ_UNITS_PER_KEY = 3000;
    private static final Set<String> HOP_HEADERS = Set.of("host", "content-length", "connection", "expect",
            "transfer-encoding", "upgrade");
    private static final Pattern EQUALITY = Pattern.compile("([#A-Za-z0-9_.]+)\\s*=\\s*(:[A-Za-z0-9_]+)");

    /** What the emulator saw: every count since it started. */
    static final class Counts {
        final AtomicLong transactions = new AtomicLong();
        final AtomicLong transactionConflicts = new AtomicLong();
        final AtomicLong plainWriteConflicts = new AtomicLong();
        final AtomicLong writeThrottles = new AtomicLong();
        final AtomicLong readThrottles = new AtomicLong();
        final AtomicLong writeUnits = new AtomicLong();
        final AtomicLong readUnits = new AtomicLong();
        /** Items found held, by table and family of the summary table's items. */
        final Map<String, AtomicLong> conflictsByFamily = new ConcurrentHashMap<>();
        /** Writes refused for their partition key's units, by table and family. */
        final Map<String, AtomicLong> throttlesByFamily = new ConcurrentHashMap<>();
    }

    private final double k;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "aws-limits");
        thread.setDaemon(true);
        return thread;
    });
    private final URI target;
    private final DynamoDbClient direct;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Map<String, List<String>> keySchemas = new ConcurrentHashMap<>();
    private final Map<String, String> heldBy = new ConcurrentHashMap<>();
    private final Map<String, UnitBucket> writeBuckets = new ConcurrentHashMap<>();
    private final Map<String, UnitBucket> readBuckets = new ConcurrentHashMap<>();
    private final Map<String, Integer> itemSizes = new ConcurrentHashMap<>();
    private final AtomicLong transactionIds = new AtomicLong();
    final Counts counts = new Counts();

    /**
     * @param target DynamoDB Local's endpoint
     * @param direct a client of DynamoDB Local itself, for the tables' key schemas and item sizes
     * @param k the time scale
     */
    AwsLimitsEmulator(URI target, DynamoDbClient direct, double k) throws IOException {
        this.target = target;
        this.direct = direct;
        this.k = k;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private static long latencyMillis(String operation) {
        return switch (operation) {
            case "TransactWriteItems" -> 25;
            case "PutItem", "UpdateItem", "DeleteItem" -> 6;
            case "GetItem" -> 5;
            case "Query", "Scan", "BatchGetItem" -> 8;
            default -> 0;
        };
    }

    /** One item a write touches: its key, its partition key and the write units it costs. */
    private record Touch(String item, String partition, int units, boolean write) {
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String amzTarget = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String operation = amzTarget == null ? "" : amzTarget.substring(amzTarget.indexOf('.') + 1);
            Map<String, Object> request = body.length == 0 ? Map.of() : JSON.std.mapFrom(body);
            long latency = Math.round(latencyMillis(operation) * k);
            switch (operation) {
                case "TransactWriteItems" -> transaction(exchange, body, request, latency);
                case "PutItem", "UpdateItem", "DeleteItem" -> plainWrite(exchange, body, request, operation, latency);
                case "GetItem", "Query" -> read(exchange, body, request, operation, latency);
                default -> forwardTaking(exchange, body, latency);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            // the client gave up, or the request was not one to judge: nothing more to answer
        } finally {
            exchange.close();
        }
    }

    @SuppressWarnings("unchecked")
    private void transaction(HttpExchange exchange, byte[] body, Map<String, Object> request, long latency)
            throws IOException, InterruptedException {
        counts.transactions.incrementAndGet();
        List<Touch> touches = new ArrayList<>();
        for (Object entry : (List<Object>) request.get("TransactItems")) {
            Map<String, Object> action = (Map<String, Object>) entry;
            String kind = action.keySet().iterator().next();
            Map<String, Object> detail = (Map<String, Object>) action.get(kind);
            String table = (String) detail.get("TableName");
            Map<String, Object> key = kind.equals("Put") ? keyOf(table, (Map<String, Object>) detail.get("Item"))
                    : (Map<String, Object>) detail.get("Key");
            boolean write = !kind.equals("ConditionCheck");
            String item = itemKey(table, key);
            int size = kind.equals("Put") ? sizeOf((Map<String, Object>) detail.get("Item")) : itemSizes.getOrDefault(item, 0);
            touches.add(new Touch(item, partitionKey(table, key), write ? 2 * writeUnits(size) : 0, write));
        }
        String id = "tx" + transactionIds.incrementAndGet();
        List<String> reasons = new ArrayList<>();
        boolean conflict = false;
        List<String> heldItems = new ArrayList<>();
        synchronized (heldBy) {
            for (Touch touch : touches) {
                boolean held = heldBy.containsKey(touch.item());
                conflict |= held;
                reasons.add(held ? "TransactionConflict" : "None");
                if (held) {
                    heldItems.add(touch.item());
                }
            }
            if (!conflict) {
                touches.forEach(touch -> heldBy.put(touch.item(), id));
            }
        }
        if (conflict) {
            counts.transactionConflicts.incrementAndGet();
            heldItems.forEach(item -> counts.conflictsByFamily.computeIfAbsent(family(item), f -> new AtomicLong())
                    .incrementAndGet());
            cancelled(exchange, reasons, "TransactionConflict", "Transaction is ongoing for the item");
            return;
        }
        HttpResponse<byte[]> response;
        try {
            List<String> throttled = new ArrayList<>();
            if (!charge(touches, throttled)) {
                counts.writeThrottles.incrementAndGet();
                cancelled(exchange, throttled, "ThrottlingError", "Throughput exceeds the current capacity of your table or index.");
                return;
            }
            response = forwardTaking(exchange, body, latency);
        } finally {
            synchronized (heldBy) {
                touches.forEach(touch -> heldBy.remove(touch.item(), id));
            }
        }
        // the items are released before their sizes are looked up: that read is the emulator's, not AWS's
        if (response.statusCode() == 200) {
            touches.stream().filter(Touch::write).forEach(touch -> measure(touch.item()));
        }
    }

    /** Forwards a request to DynamoDB Local and relays its answer once {@code latency} has passed since it was sent. */
    private HttpResponse<byte[]> forwardTaking(HttpExchange exchange, byte[] body, long latency)
            throws IOException, InterruptedException {
        long start = System.nanoTime();
        HttpResponse<byte[]> response = forward(exchange, body);
        sleep(latency - (System.nanoTime() - start) / 1_000_000);
        relay(exchange, response);
        return response;
    }

    /**
     * What kind of item a key is, for the conflict counts: the table, and for the summary table
     * the family of its partition key ({@code coarse}, {@code fine}, {@code lines}).
     */
    private static String family(String item) {
        String table = item.substring(0, item.indexOf('|'));
        int part = item.indexOf("\"S\":\"");
        if (part < 0 || !item.contains("\"part\"")) {
            return table;
        }
        String value = item.substring(part + 5);
        int end = value.indexOf('#');
        return table + ":" + (end < 0 ? value.substring(0, value.indexOf('"')) : value.substring(0, end));
    }

    /** Takes the write units of every touched item from its key's bucket, all or none; else says which items. */
    private boolean charge(List<Touch> touches, List<String> reasons) {
        synchronized (writeBuckets) {
            long now = System.nanoTime();
            boolean all = true;
            for (Touch touch : touches) {
                boolean room = !touch.write() || bucket(writeBuckets, touch.partition(), WRITE_UNITS_PER_KEY).has(touch.units(), now);
                all &= room;
                reasons.add(room ? "None" : "ThrottlingError");
                if (!room) {
                    counts.throttlesByFamily.computeIfAbsent(family(touch.item()), f -> new AtomicLong()).incrementAndGet();
                }
            }
            if (all) {
                touches.stream().filter(Touch::write)
                        .forEach(touch -> bucket(writeBuckets, touch.partition(), WRITE_UNITS_PER_KEY).take(touch.units(), now));
                touches.forEach(touch -> counts.writeUnits.addAndGet(touch.units()));
            }
            return all;
        }
    }

    @SuppressWarnings("unchecked")
    private void plainWrite(HttpExchange exchange, byte[] body, Map<String, Object> request, String operation, long latency)
            throws IOException, InterruptedException {
        String table = (String) request.get("TableName");
        Map<String, Object> key = operation.equals("PutItem") ? keyOf(table, (Map<String, Object>) request.get("Item"))
                : (Map<String, Object>) request.get("Key");
        String item = itemKey(table, key);
        if (heldBy.containsKey(item)) {
            counts.plainWriteConflicts.incrementAndGet();
            error(exchange, "TransactionConflictException", "Transaction is ongoing for the item");
            return;
        }
        int size = operation.equals("PutItem") ? sizeOf((Map<String, Object>) request.get("Item")) : itemSizes.getOrDefault(item, 0);
        Touch touch = new Touch(item, partitionKey(table, key), writeUnits(size), true);
        if (!charge(List.of(touch), new ArrayList<>())) {
            counts.writeThrottles.incrementAndGet();
            error(exchange, "ProvisionedThroughputExceededException", "The level of configured provisioned throughput for the "
                    + "table was exceeded. Consider increasing your provisioning level with the UpdateTable API.");
            return;
        }
        HttpResponse<byte[]> response = forwardTaking(exchange, body, latency);
        if (response.statusCode() == 200 && !operation.equals("DeleteItem")) {
            measure(item);
        }
    }

    @SuppressWarnings("unchecked")
    private void read(HttpExchange exchange, byte[] body, Map<String, Object> request, String operation, long latency)
            throws IOException, InterruptedException {
        String table = (String) request.get("TableName");
        String partition = operation.equals("GetItem") ? partitionKey(table, (Map<String, Object>) request.get("Key"))
                : queriedPartition(table, request);
        UnitBucket bucket = partition == null ? null : bucket(readBuckets, partition, READ_UNITS_PER_KEY);
        if (bucket != null) {
            synchronized (readBuckets) {
                if (!bucket.has(1, System.nanoTime())) {
                    counts.readThrottles.incrementAndGet();
                    error(exchange, "ProvisionedThroughputExceededException", "The level of configured provisioned "
                            + "throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.");
                    return;
                }
            }
        }
        HttpResponse<byte[]> response = forwardTaking(exchange, body, latency);
        // a read unit is 4 KB of what was read: the answer's size is close enough
        int units = Math.max(1, (response.body().length + 4095) / 4096);
        counts.readUnits.addAndGet(units);
        if (bucket != null) {
            synchronized (readBuckets) {
                bucket.take(units, System.nanoTime());
            }
        }
    }

    /** The partition key value of a Query, from the equality on the table's (or index's) partition key. */
    @SuppressWarnings("unchecked")
    private String queriedPartition(String table, Map<String, Object> request) {
        String condition = (String) request.get("KeyConditionExpression");
        if (condition == null) {
            return null;
        }
        Matcher matcher = EQUALITY.matcher(condition);
        if (!matcher.find()) {
            return null;
        }
        Map<String, Object> values = (Map<String, Object>) request.getOrDefault("ExpressionAttributeValues", Map.of());
        String index = (String) request.get("IndexName");
        return (index == null ? table : table + "/" + index) + "|" + canonical(values.get(matcher.group(2)));
    }

    /** Remembers an item's size after a write, for the units of the next write of it. */
    private void measure(String item) {
        String table = item.substring(0, item.indexOf('|'));
        Map<String, Object> key = keys.get(item);
        if (key == null) {
            return;
        }
        try {
            Map<String, AttributeValue> stored = direct.getItem(r -> r.tableName(table).key(toKey(key))).item();
            itemSizes.put(item, stored == null ? 0 : attributeValuesSize(stored));
        } catch (RuntimeException e) {
            // the size stays as last seen
        }
    }

    private final Map<String, Map<String, Object>> keys = new ConcurrentHashMap<>();

    @SuppressWarnings("unchecked")
    private static Map<String, AttributeValue> toKey(Map<String, Object> key) {
        Map<String, AttributeValue> result = new TreeMap<>();
        key.forEach((name, value) -> {
            Map<String, Object> typed = (Map<String, Object>) value;
            result.put(name, typed.containsKey("N") ? AttributeValue.fromN(typed.get("N").toString())
                    : AttributeValue.fromS(typed.get("S").toString()));
        });
        return result;
    }

    private static int attributeValuesSize(Map<String, AttributeValue> item) {
        int size = 0;
        for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
            AttributeValue value = attribute.getValue();
            size += attribute.getKey().length() + (value.s() != null ? value.s().length()
                    : value.n() != null ? (value.n().length() + 1) / 2 + 1 : 1);
        }
        return size;
    }

    /** An item's size as DynamoDB counts it, roughly: names plus values, numbers at about half a byte a digit. */
    @SuppressWarnings("unchecked")
    static int sizeOf(Map<String, Object> item) {
        int size = 0;
        for (Map.Entry<String, Object> attribute : item.entrySet()) {
            Map<String, Object> typed = (Map<String, Object>) attribute.getValue();
            Object s = typed.get("S");
            Object n = typed.get("N");
            size += attribute.getKey().length() + (s != null ? s.toString().length()
                    : n != null ? (n.toString().length() + 1) / 2 + 1 : 1);
        }
        return size;
    }

    static int writeUnits(int size) {
        return Math.max(1, (size + 1023) / 1024);
    }

    private Map<String, Object> keyOf(String table, Map<String, Object> item) {
        Map<String, Object> key = new TreeMap<>();
        for (String attribute : keySchema(table)) {
            key.put(attribute, item.get(attribute));
        }
        return key;
    }

    private String itemKey(String table, Map<String, Object> key) {
        String item = table + "|" + canonical(new TreeMap<>(key));
        keys.putIfAbsent(item, new TreeMap<>(key));
        return item;
    }

    private String partitionKey(String table, Map<String, Object> key) {
        return table + "|" + canonical(key.get(keySchema(table).get(0)));
    }

    private static String canonical(Object value) {
        try {
            return JSON.std.asString(value instanceof Map<?, ?> map ? new TreeMap<>(map) : value);
        } catch (IOException e) {
            return String.valueOf(value);
        }
    }

    /** The table's key attributes, partition key first. */
    private List<String> keySchema(String table) {
        return keySchemas.computeIfAbsent(table, t -> {
            List<KeySchemaElement> schema = direct.describeTable(r -> r.tableName(t)).table().keySchema();
            List<String> names = new ArrayList<>();
            schema.stream().filter(e -> e.keyType() == KeyType.HASH).forEach(e -> names.add(e.attributeName()));
            schema.stream().filter(e -> e.keyType() == KeyType.RANGE).forEach(e -> names.add(e.attributeName()));
            return names;
        });
    }

    private UnitBucket bucket(Map<String, UnitBucket> buckets, String partition, double perSecond) {
        return buckets.computeIfAbsent(partition, p -> new UnitBucket(perSecond / k));
    }

    /** Units a partition key may still use: refilled at its rate, holding at most one second of them. */
    private static final class UnitBucket {
        final double perSecond;
        double units;
        long at = System.nanoTime();

        UnitBucket(double perSecond) {
            this.perSecond = perSecond;
            this.units = perSecond;
        }

        boolean has(int wanted, long now) {
            refill(now);
            return units >= Math.min(wanted, perSecond);
        }

        void take(int used, long now) {
            refill(now);
            units -= used;
        }

        private void refill(long now) {
            units = Math.min(perSecond, units + (now - at) / 1e9 * perSecond);
            at = now;
        }
    }

    private void cancelled(HttpExchange exchange, List<String> codes, String code, String message) throws IOException {
        StringBuilder body = new StringBuilder("{\"__type\":\"" + ERROR_PREFIX + "TransactionCanceledException\",")
                .append("\"Message\":\"Transaction cancelled, please refer cancellation reasons for specific reasons [")
                .append(String.join(", ", codes)).append("]\",\"CancellationReasons\":[");
        for (int i = 0; i < codes.size(); i++) {
            body.append(i == 0 ? "" : ",").append("{\"Code\":\"").append(codes.get(i)).append('"');
            if (codes.get(i).equals(code)) {
                body.append(",\"Message\":\"").append(message).append('"');
            }
            body.append('}');
        }
        body.append("]}");
        send(exchange, 400, body.toString());
    }

    private static void error(HttpExchange exchange, String type, String message) throws IOException {
        send(exchange, 400, "{\"__type\":\"" + ERROR_PREFIX + type + "\",\"message\":\"" + message + "\"}");
    }

    private static void send(HttpExchange exchange, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private HttpResponse<byte[]> forward(HttpExchange exchange, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().getPath()))
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_HEADERS.contains(name.toLowerCase())) {
                values.forEach(v -> request.header(name, v));
            }
        });
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void relay(HttpExchange exchange, HttpResponse<byte[]> response) throws IOException {
        response.headers().map().forEach((name, values) -> {
            if (!HOP_HEADERS.contains(name.toLowerCase()) && !name.equals(":status")) {
                values.forEach(v -> exchange.getResponseHeaders().add(name, v));
            }
        });
        byte[] body = response.body();
        exchange.sendResponseHeaders(response.statusCode(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static void sleep(long millis) throws InterruptedException {
        if (millis > 0) {
            Thread.sleep(millis);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
