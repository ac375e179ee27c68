package io.otpcodes.store;

import io.otpcodes.domain.ListFilter;
import io.otpcodes.domain.ListQuery;
import io.otpcodes.domain.OtpCode;
import io.otpcodes.domain.OtpCodeRepository.Listing;
import io.otpcodes.domain.ReadStats;
import io.otpcodes.domain.Timestamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/**
 * A list in id order, filtered at most by id and by day of creation, answered from the summary
 * table: the coarse level (a Query of each partition of the stripes, one of the folded summaries)
 * gives the count of every bucket whose counts settle it; a bucket they cannot settle (its ids
 * cut by id_min/id_max, its creation days cut by the date filters, or codes of it expiring in the
 * hour of "now") is looked at through its fine summaries, and a fine bucket they cannot settle
 * through its codes (its lines item). A coarse bucket no fold has touched whose stripes name few
 * quanta is read through those quanta's lines items alone ({@link #FEW_QUANTA}). The page is read
 * from the lines items too. What a list costs grows with the page, the unsettled buckets and the
 * number of coarse buckets (100 at a million codes), not with the codes: each coarse bucket
 * creates have left is one folded summary ({@link StripeFolder}).
 */
final class IdOrderedListReader {

    private final DynamoDbClient dynamoDb;
    private final String summaryTable;
    private final IdBuckets buckets;
    private final StripeFolder folder;

    IdOrderedListReader(DynamoDbClient dynamoDb, String summaryTable, IdBuckets buckets, StripeFolder folder) {
        this.dynamoDb = dynamoDb;
        this.summaryTable = summaryTable;
        this.buckets = buckets;
        this.folder = folder;
    }

    /** The page, or empty when the table's codes are not all counted yet (an older table before its backfill). */
    Optional<Listing> read(ListQuery query, boolean descending, Instant now) {
        Reading reading = new Reading(query.filter(), now);
        SummaryPartitions.Coarse coarse = SummaryPartitions.readCoarse(dynamoDb, summaryTable, buckets, reading::account);
        if (!coarse.ready()) {
            return Optional.empty();
        }
        List<Reading.Bucket> roots = new ArrayList<>();
        for (Map<String, AttributeValue> item : coarse.buckets()) {
            roots.add(reading.new Bucket(item, coarse));
        }
        long count = 0;
        for (Reading.Bucket root : roots) {
            count += root.count();
        }
        List<OtpCode> page = new ArrayList<>(Math.min(query.limit(), 1000));
        reading.collect(roots, descending, query.offset(), query.limit(), page);
        folder.afterListQuietly(coarse, now);
        return Optional.of(new Listing(count, List.copyOf(page),
                new ReadStats("Summary", null, reading.capacity, reading.items, reading.requests, page.size())));
    }

    /** Quanta whose fine summaries a list reads at once (4 Queries, one a partition). */
    static final int CHUNK_QUANTA = 100;
    /**
     * A coarse bucket no fold has touched whose stripes point at no more quanta than this is read
     * through those quanta's lines items, in one BatchGetItem, not through its fine summaries (a
     * Query a partition): a quiet table's list, a cold one above all, makes 6 requests, not 10.
     * A stripe names every quantum it may count (two for most stripes: 400 quanta a bucket, 256
     * stripes), so a bucket whose codes are in 8 quanta or fewer takes this way. It costs at most
     * 16 read units (one a lines item, found or not), against about 8 for 4 Queries of fine
     * summaries and the page's lines items; a quiet table has few lists to pay it.
     */
    static final int FEW_QUANTA = 16;
    /** Keys one BatchGetItem may ask for. */
    static final int BATCH_KEYS = 100;
    /** BatchGetItems of one set of lines items, for the keys DynamoDB leaves unprocessed under load. */
    static final int BATCH_ATTEMPTS = 3;

    /** What one list knows and has read so far. */
    private final class Reading {
        final long idMin;
        final long idMax;
        final long dayMin;
        final long dayMax;
        final Long createdFrom;
        final Long createdTo;
        final long nowSecond;
        double capacity;
        int items;
        int requests;

        Reading(ListFilter filter, Instant now) {
            idMin = filter.idMin() == null ? Long.MIN_VALUE : filter.idMin();
            idMax = filter.idMax() == null ? Long.MAX_VALUE : filter.idMax();
            createdFrom = filter.createdFrom();
            createdTo = filter.createdTo();
            dayMin = createdFrom == null ? Long.MIN_VALUE : Math.floorDiv(createdFrom, IdBuckets.MICROS_PER_DAY);
            dayMax = createdTo == null ? Long.MAX_VALUE : Math.floorDiv(createdTo, IdBuckets.MICROS_PER_DAY);
            nowSecond = now.getEpochSecond();
        }

        /** Takes {@code limit} codes after skipping {@code skip}, descending into buckets only where the page is. */
        long collect(List<Bucket> nodes, boolean descending, long skip, int limit, List<OtpCode> page) {
            if (!nodes.isEmpty() && !nodes.get(0).coarse) {
                readLinesAhead(nodes, descending, skip, limit - page.size());
            }
            for (int i = 0; i < nodes.size() && page.size() < limit; i++) {
                Bucket node = nodes.get(descending ? nodes.size() - 1 - i : i);
                long count = node.count();
                if (count <= skip) {
                    skip -= count;
                    continue;
                }
                if (node.coarse) {
                    // its codes not passed yet (skipped or taken): once none is left, its other chunks are not read
                    long left = count;
                    for (int k = 0; k < node.chunks() && page.size() < limit && left > 0; k++) {
                        int taken = page.size();
                        long skipped = skip;
                        skip = collect(node.chunk(descending ? node.chunks() - 1 - k : k), descending, skip, limit, page);
                        left -= skipped - skip + page.size() - taken;
                    }
                    continue;
                }
                List<OtpCode> codes = node.codes();
                for (int j = (int) skip; j < codes.size() && page.size() < limit; j++) {
                    page.add(codes.get(descending ? codes.size() - 1 - j : j));
                }
                skip = 0;
            }
            return skip;
        }

        /** The fine summaries of quanta {@code firstQuantum} to {@code lastQuantum} of a coarse bucket, from every partition, by quantum. */
        List<Map<String, AttributeValue>> fineSummaries(long coarseBucket, long firstQuantum, long lastQuantum) {
            List<Map<String, AttributeValue>> all = new ArrayList<>();
            SummaryPartitions.readAll(dynamoDb, summaryTable,
                    SummaryPartitions.parts(buckets.summaryPartitions(), p -> SummaryTableSchema.finePart(coarseBucket, p)),
                    firstQuantum, lastQuantum, page -> all.addAll(account(page)));
            all.sort(Comparator.comparingLong(item -> Long.parseLong(item.get(SummaryTableSchema.BUCKET).n())));
            return all;
        }

        /**
         * Reads at once, with one consistent BatchGetItem, the lines items of the fine buckets
         * this page will look into (to count them or to take codes), rather than one GetItem each
         * as the walk meets them: a default page spans four or five quanta. Buckets whose
         * summary settles their count and that the offset passes are not read. It reads as if
         * each bucket of unsettled count were full, so it never reads past the page; a bucket
         * it did not read is read alone when the walk meets it.
         */
        void readLinesAhead(List<Bucket> nodes, boolean descending, long skip, int wanted) {
            List<Bucket> ahead = new ArrayList<>();
            long toSkip = skip;
            long toTake = wanted;
            for (int i = 0; i < nodes.size() && toTake > 0 && ahead.size() < BATCH_KEYS; i++) {
                Bucket node = nodes.get(descending ? nodes.size() - 1 - i : i);
                long settled = node.settledCount();
                if (settled >= 0 && settled <= toSkip) {
                    toSkip -= settled;
                    continue;
                }
                if (node.codes == null) {
                    ahead.add(node);
                }
                if (settled >= 0) {
                    toTake -= settled - toSkip;
                    toSkip = 0;
                } else if (toSkip == 0) {
                    toTake -= buckets.lines();
                }
            }
            if (ahead.size() > 1) {
                readLines(ahead);
            }
        }

        /** The lines items of these buckets, in one BatchGetItem (again for any key DynamoDB left unprocessed). */
        private void readLines(List<Bucket> nodes) {
            Map<Map<String, AttributeValue>, Bucket> byKey = new HashMap<>();
            List<Map<String, AttributeValue>> keys = new ArrayList<>();
            for (Bucket node : nodes) {
                Map<String, AttributeValue> key = buckets.linesKey(node.low);
                byKey.put(key, node);
                keys.add(key);
            }
            Map<String, KeysAndAttributes> request = Map.of(summaryTable,
                    KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
            for (int attempt = 0; attempt < BATCH_ATTEMPTS && !request.isEmpty(); attempt++) {
                Map<String, KeysAndAttributes> asked = request;
                BatchGetItemResponse response = dynamoDb.batchGetItem(r -> r.requestItems(asked)
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
                requests++;
                for (ConsumedCapacity consumed : response.consumedCapacity()) {
                    capacity += consumed.capacityUnits() == null ? 0 : consumed.capacityUnits();
                }
                for (Map<String, AttributeValue> item : response.responses().getOrDefault(summaryTable, List.of())) {
                    Bucket node = byKey.remove(Map.of(SummaryTableSchema.PART, item.get(SummaryTableSchema.PART),
                            SummaryTableSchema.BUCKET, item.get(SummaryTableSchema.BUCKET)));
                    if (node != null) {
                        node.codes = quantumCodes(item, node.low, node.high);
                    }
                }
                request = response.unprocessedKeys();
            }
            Set<Map<String, AttributeValue>> unprocessed = new HashSet<>();
            request.values().forEach(k -> unprocessed.addAll(k.keys()));
            byKey.forEach((key, node) -> {
                if (!unprocessed.contains(key)) {
                    node.codes = new ArrayList<>(); // no lines item: no code in that quantum
                }
            });
        }

        /**
         * The live codes of one quantum that the filter keeps, by id, from its lines item, read
         * consistently: written in the same transaction as the code and its counts, it always
         * agrees with the summaries (the id-bucket index lags behind writes on AWS, so a page read
         * from it could miss a new code that the count includes, or show a PATCHed code's old fields).
         */
        List<OtpCode> quantumCodes(long low, long high) {
            GetItemResponse response = dynamoDb.getItem(r -> r.tableName(summaryTable).key(buckets.linesKey(low))
                    .consistentRead(true).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            requests++;
            capacity += response.consumedCapacity() == null || response.consumedCapacity().capacityUnits() == null ? 0
                    : response.consumedCapacity().capacityUnits();
            return response.hasItem() ? quantumCodes(response.item(), low, high) : new ArrayList<>();
        }

        /** The live codes the filter keeps of a quantum's lines item, by id. */
        List<OtpCode> quantumCodes(Map<String, AttributeValue> item, long low, long high) {
            List<OtpCode> codes = new ArrayList<>();
            if (item.isEmpty()) {
                return codes;
            }
            items++;
            long from = Math.max(low, idMin);
            long to = Math.min(high, idMax);
            for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
                if (!CodeLines.isLine(attribute.getKey())) {
                    continue;
                }
                CodeLines.Line line = CodeLines.parse(attribute.getKey(), attribute.getValue().s());
                OtpCode code = line.code();
                long created = Timestamps.toEpochMicros(code.createdAt());
                if (code.id() >= from && code.id() <= to && line.expiresAt() > nowSecond
                        && (createdFrom == null || created >= createdFrom) && (createdTo == null || created <= createdTo)) {
                    codes.add(code);
                }
            }
            codes.sort(Comparator.comparingLong(OtpCode::id));
            return codes;
        }

        /** Counts a page's cost; its items. */
        List<Map<String, AttributeValue>> account(Pages.Page page) {
            requests++;
            items += page.items().size();
            capacity += page.capacity();
            return page.items();
        }

        /** A coarse or fine bucket, its count and what lies under it, each read at most once. */
        final class Bucket {
            final boolean coarse;
            final long bucket;
            final long low;
            final long high;
            final Map<String, AttributeValue> summary;
            /** For a coarse bucket, the coarse level it was read with (its stripes). */
            private final SummaryPartitions.Coarse coarseRead;
            private Long count;
            private List<Bucket>[] chunks;
            /** For a coarse bucket, its few quanta ({@link #FEW_QUANTA}), or null: once looked at, {@code fewQuantaKnown}. */
            private List<Bucket> fewQuanta;
            private boolean fewQuantaKnown;
            List<OtpCode> codes;

            /** A quantum, as its fine summary counts it. */
            Bucket(Map<String, AttributeValue> fineSummary) {
                this(false, fineSummary, Long.parseLong(fineSummary.get(SummaryTableSchema.BUCKET).n()), null);
            }

            /** A coarse bucket, as the coarse level read it. */
            Bucket(Map<String, AttributeValue> summary, SummaryPartitions.Coarse coarseRead) {
                this(true, summary, Long.parseLong(summary.get(SummaryTableSchema.BUCKET).n()), coarseRead);
            }

            /** A quantum known only from its coarse bucket's stripes: its count is its lines item's. */
            Bucket(long quantum) {
                this(false, null, quantum, null);
            }

            private Bucket(boolean coarse, Map<String, AttributeValue> summary, long bucket, SummaryPartitions.Coarse coarseRead) {
                this.coarse = coarse;
                this.summary = summary;
                this.bucket = bucket;
                this.coarseRead = coarseRead;
                long size = coarse ? buckets.coarse() : buckets.lines();
                this.low = bucket * size;
                this.high = low + size - 1;
            }

            long count() {
                if (count == null) {
                    count = settledCount();
                    if (count < 0) {
                        count = coarse ? allChildren() : codes().size();
                    }
                }
                return count;
            }

            /** The count its summary settles, or -1 when it cannot. */
            long settledCount() {
                if (high < idMin || low > idMax) {
                    return 0;
                }
                if (summary == null) {
                    return -1;
                }
                boolean idsInside = low >= idMin && high <= idMax;
                long unitSeconds = coarse ? IdBuckets.SECONDS_PER_HOUR : IdBuckets.SECONDS_PER_MINUTE;
                long nowUnit = Math.floorDiv(nowSecond, unitSeconds);
                long live = 0;
                boolean expiryUnsettled = false;
                boolean dayInside = false;
                boolean dayOutside = false;
                for (Map.Entry<String, AttributeValue> attribute : summary.entrySet()) {
                    String name = attribute.getKey();
                    if (!SummaryTableSchema.isCount(name)) {
                        continue;
                    }
                    long n = Long.parseLong(attribute.getValue().n());
                    if (n == 0) {
                        continue;
                    }
                    long unit = Long.parseLong(name.substring(1));
                    if (name.startsWith(SummaryTableSchema.EXPIRY_PREFIX)) {
                        if (unit > nowUnit) {
                            live += n;
                        } else if (unit == nowUnit) {
                            expiryUnsettled = true;
                        }
                    } else if (unit >= dayMin && unit <= dayMax) {
                        dayInside = true;
                    } else {
                        dayOutside = true;
                    }
                }
                if (!dayInside) {
                    return 0;
                }
                return idsInside && !dayOutside && !expiryUnsettled ? live : -1;
            }

            /**
             * The fine buckets of a coarse bucket come in chunks of {@link #CHUNK_QUANTA} quanta,
             * each read when first needed: a page near one end reads one chunk's fine summaries,
             * not the bucket's 400.
             */
            int chunks() {
                return (int) ((buckets.coarse() / buckets.lines() + CHUNK_QUANTA - 1) / CHUNK_QUANTA);
            }

            /** The fine buckets of chunk {@code k}: none read when the id filter leaves none of its ids. */
            @SuppressWarnings("unchecked")
            List<Bucket> chunk(int k) {
                if (chunks == null) {
                    chunks = new List[chunks()];
                }
                if (chunks[k] == null) {
                    long first = buckets.linesBucket(low) + (long) k * CHUNK_QUANTA;
                    long last = first + CHUNK_QUANTA - 1;
                    List<Bucket> children = new ArrayList<>();
                    boolean inRange = (last + 1) * buckets.lines() - 1 >= idMin && first * buckets.lines() <= idMax;
                    List<Bucket> few = fewQuanta();
                    if (few != null) {
                        for (Bucket quantum : few) {
                            if (quantum.bucket >= first && quantum.bucket <= last) {
                                children.add(quantum);
                            }
                        }
                    } else if (inRange) {
                        for (Map<String, AttributeValue> item : fineSummaries(bucket, first, last)) {
                            children.add(new Bucket(item));
                        }
                    }
                    chunks[k] = children;
                }
                return chunks[k];
            }

            /**
             * The quanta of a coarse bucket no fold has touched whose stripes hold counts, in
             * the id filter's range, their lines items read (one BatchGetItem for all); null when
             * a fold has touched the bucket (its stripes no longer say which quanta hold codes)
             * or when they are more than {@link #FEW_QUANTA}. Every create and PATCH of a code
             * counts it in its quantum's stripe in the transaction that writes its line, so a
             * quantum whose stripe is absent holds no code the coarse count includes.
             */
            private List<Bucket> fewQuanta() {
                if (!fewQuantaKnown) {
                    fewQuantaKnown = true;
                    fewQuanta = coarseRead == null || coarseRead.folded().containsKey(bucket) ? null
                            : quantaOfStripes(coarseRead.stripes().getOrDefault(bucket, Set.of()));
                    if (fewQuanta != null && !fewQuanta.isEmpty()) {
                        readLines(fewQuanta);
                    }
                }
                return fewQuanta;
            }

            private List<Bucket> quantaOfStripes(Set<Integer> stripes) {
                List<Bucket> quanta = new ArrayList<>();
                long first = buckets.linesBucket(low);
                long last = buckets.linesBucket(high);
                for (long q = first; q <= last; q++) {
                    boolean inRange = (q + 1) * buckets.lines() - 1 >= idMin && q * buckets.lines() <= idMax;
                    if (inRange && stripes.contains((int) Math.floorMod(q, (long) buckets.stripes()))) {
                        if (quanta.size() == FEW_QUANTA) {
                            return null;
                        }
                        quanta.add(new Bucket(q));
                    }
                }
                return quanta;
            }

            private long allChildren() {
                long sum = 0;
                for (int k = 0; k < chunks(); k++) {
                    sum += chunk(k).stream().mapToLong(Bucket::count).sum();
                }
                return sum;
            }

            List<OtpCode> codes() {
                if (codes == null) {
                    codes = quantumCodes(low, high);
                }
                return codes;
            }
        }
    }
}
