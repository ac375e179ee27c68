package io.otpcodes.store;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/** The paging loop of every Query and Scan of the store, once: each page starts where the last stopped. */
final class Pages {

    private Pages() {
    }

    /** What a paging loop needs of a Query's or a Scan's answer; {@code lastKey} is null on the last page. */
    record Page(List<Map<String, AttributeValue>> items, double capacity, Map<String, AttributeValue> lastKey) {

        static Page of(QueryResponse response) {
            return new Page(response.items(), units(response.consumedCapacity()),
                    response.hasLastEvaluatedKey() ? response.lastEvaluatedKey() : null);
        }

        static Page of(ScanResponse response) {
            return new Page(response.items(), units(response.consumedCapacity()),
                    response.hasLastEvaluatedKey() ? response.lastEvaluatedKey() : null);
        }

        private static double units(ConsumedCapacity consumed) {
            return consumed == null || consumed.capacityUnits() == null ? 0 : consumed.capacityUnits();
        }
    }

    /** Reads page after page ({@code read} takes the key to start from, null at first) until the last. */
    static void readAll(Function<Map<String, AttributeValue>, Page> read, Consumer<Page> each) {
        Map<String, AttributeValue> startKey = null;
        do {
            Page page = read.apply(startKey);
            each.accept(page);
            startKey = page.lastKey() == null || page.lastKey().isEmpty() ? null : page.lastKey();
        } while (startKey != null);
    }
}
