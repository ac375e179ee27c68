package io.otpcodes.store;

import io.otpcodes.domain.ListQuery;
import io.otpcodes.domain.PageCollector;
import io.otpcodes.domain.ReadStats;

/**
 * One reader's share of a one-pass list: the codes it kept (only offset + limit of them) and what
 * reading them cost. The shares of parallel readers are added into one.
 */
final class ListPass {

    final PageCollector collector;
    private double capacity;
    private int items;
    private int pages;

    ListPass(ListQuery query) {
        this.collector = new PageCollector(query);
    }

    /** Counts a page's cost; its codes are the reader's to offer. */
    void account(Pages.Page page) {
        items += page.items().size();
        pages++;
        capacity += page.capacity();
    }

    void add(ListPass other) {
        collector.addAll(other.collector);
        items += other.items;
        pages += other.pages;
        capacity += other.capacity;
    }

    ReadStats stats(String operation, String index) {
        return new ReadStats(operation, index, capacity, items, pages);
    }
}
