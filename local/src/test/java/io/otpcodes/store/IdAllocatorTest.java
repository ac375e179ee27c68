package io.otpcodes.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpcodes.local.testing.LocalDynamoDb;
import io.otpcodes.local.testing.TestStack;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Ids of function containers: one at a time while quiet (creation order, no gaps), whole quanta
 * a container owns while busy, and never one id twice, whatever the containers do.
 */
class IdAllocatorTest {

    static final long SECOND = 1_000_000_000L;

    @Test
    void quietContainer_drawsConsecutiveIds() {
        TestStack stack = LocalDynamoDb.newStack();
        AtomicLong clock = new AtomicLong();
        IdAllocator ids = allocator(stack, clock);
        List<Long> drawn = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            clock.addAndGet(2 * SECOND);
            drawn.add(ids.nextId());
        }
        // the cold start takes a block (ids 1-49, to a quantum's end) and uses one; then one id at a time, in order
        assertThat(drawn).containsExactly(1L, 50L, 51L, 52L, 53L);
    }

    @Test
    void busyContainers_ownWholeQuanta_andNeverShareAnId() {
        TestStack stack = LocalDynamoDb.newStack();
        AtomicLong clock = new AtomicLong();
        IdAllocator a = allocator(stack, clock);
        IdAllocator b = allocator(stack, clock);
        Set<Long> all = new HashSet<>();
        Map<Long, Set<String>> owners = new HashMap<>();
        for (int i = 0; i < 300; i++) {
            clock.addAndGet(SECOND / 100);
            for (var entry : Map.of("a", a, "b", b).entrySet()) {
                long id = entry.getValue().nextId();
                assertThat(all.add(id)).as("id %d drawn twice", id).isTrue();
                owners.computeIfAbsent(id / 25, q -> new HashSet<>()).add(entry.getKey());
            }
        }
        // the first draws are single ids, shared quanta; every later quantum has one owner
        long shared = owners.entrySet().stream().filter(e -> e.getKey() > 1 && e.getValue().size() > 1).count();
        assertThat(shared).isZero();
    }

    @Test
    void blockLeftWhenTheContainerGoesQuiet_isDropped_soTheNextIdIsTheCountersNext() {
        TestStack stack = LocalDynamoDb.newStack();
        AtomicLong clock = new AtomicLong();
        IdAllocator busy = allocator(stack, clock);
        IdAllocator other = allocator(stack, clock);
        busy.nextId();
        clock.addAndGet(SECOND / 100);
        long fromBlock = busy.nextId();
        clock.addAndGet(5 * SECOND);
        long otherId = other.nextId(); // a cold start too
        clock.addAndGet(5 * SECOND);
        long afterQuiet = busy.nextId();

        assertThat(fromBlock).isEqualTo(2); // the cold start's block: ids 1-49
        assertThat(otherId).isEqualTo(50); // its block: 50-74, after a refused guess
        assertThat(afterQuiet).isEqualTo(75); // quiet again: the rest of 1-49 is dropped
    }

    private static IdAllocator allocator(TestStack stack, AtomicLong clock) {
        return new IdAllocator(stack.dynamoDb(), stack.settings().counterTableName(), 25, 100, SECOND, 5 * SECOND, clock::get);
    }
}
