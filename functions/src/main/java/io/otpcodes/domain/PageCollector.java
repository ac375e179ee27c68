package io.otpcodes.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Counts the codes a list keeps and holds only the first {@code offset + limit} of them in the
 * list's order (a bounded heap), so that a list that must look at every code never holds them
 * all. Not thread-safe: the parallel readers of a list share one under a lock.
 */
public final class PageCollector {

    private final ListQuery query;
    private final Comparator<OtpCode> order;
    private final long keep;
    /** The worst kept code on top, so that a better one replaces it. */
    private final PriorityQueue<OtpCode> kept;
    private long count;
    private int peakKept;

    public PageCollector(ListQuery query) {
        this.query = query;
        this.order = query.ordering().comparator();
        this.keep = (long) query.offset() + query.limit();
        this.kept = new PriorityQueue<>(order.reversed());
    }

    /** Offers a code that the store's filter kept; the search is applied here. */
    public void offer(OtpCode code) {
        if (searchMatches(code)) {
            offerMatched(code);
        }
    }

    /** Whether the list's search finds the code (safe to ask from any thread). */
    public boolean searchMatches(OtpCode code) {
        return query.search().matches(code);
    }

    /** Counts a code the filter and the search kept, and keeps it if it is among the first offset + limit. */
    public void offerMatched(OtpCode code) {
        count++;
        if (kept.size() < keep) {
            kept.add(code);
            peakKept = Math.max(peakKept, kept.size());
        } else if (order.compare(code, kept.peek()) < 0) {
            kept.poll();
            kept.add(code);
        }
    }

    /** The most codes this collector has held at once: never more than offset + limit. */
    public int peakKept() {
        return peakKept;
    }

    public long count() {
        return count;
    }

    /** The page: the kept codes from the offset on, in order. */
    public List<OtpCode> page() {
        List<OtpCode> sorted = new ArrayList<>(kept);
        sorted.sort(order);
        int from = (int) Math.min(query.offset(), sorted.size());
        int to = (int) Math.min((long) from + query.limit(), sorted.size());
        return List.copyOf(sorted.subList(from, to));
    }
}
