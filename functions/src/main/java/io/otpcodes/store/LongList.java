package io.otpcodes.store;

import java.util.Arrays;

/** A growing list of longs without a box each: the ids a bulk job holds (8 bytes an id). */
final class LongList {

    private long[] values = new long[1024];
    private int size;

    void add(long value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, values.length * 2);
        }
        values[size++] = value;
    }

    void addAll(LongList other) {
        for (int i = 0; i < other.size; i++) {
            add(other.values[i]);
        }
    }

    long[] toArray() {
        return Arrays.copyOf(values, size);
    }
}
