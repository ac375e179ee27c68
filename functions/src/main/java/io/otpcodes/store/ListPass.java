package io.otpcodes.store;

import io.otpcodes.domain.ListQuery;
import io.otpcodes.domain.OtpCode;
import io.otpcodes.domain.PageCollector;
import io.otpcodes.domain.ReadStats;
import java.util.List;

/**
 * A one-pass list: the codes it kept (only offset + limit of them, in one collector that every
 * parallel reader of the list offers to, so that the whole list holds no more however many
 * readers it has) and what reading them cost. Safe for the list's readers to share.
 */
final class ListPass {

    private final PageCollector collector;
    private double capacity;
    private int items;
    private int pages;

    ListPass(ListQuery query) {
        this.collector = new PageCollector(query);
    }

    /** Counts a page's cost; its codes are the reader's to offer. */
    synchronized void account(Pages.Page page) {
        items += page.items().size();
        pages++;
        capacity += page.capacity();
    }

    /** Offers codes the store's filter kept (the search is applied here): one lock a batch, not a code. */
    void offer(List<OtpCode> codes) {
        List<OtpCode> found = codes.stream().filter(collector::searchMatches).toList();
        synchronized (this) {
            found.forEach(collector::offerMatched);
        }
    }

    synchronized long count() {
        return collector.count();
    }

    synchronized List<OtpCode> page() {
        return collector.page();
    }

    synchronized ReadStats stats(String operation, String index) {
        return new ReadStats(operation, index, capacity, items, pages, collector.peakKept());
    }
}
