package io.otpcodes.domain;

import java.util.List;

/** One page of a list: how many codes match in all, and the ones on this page. */
public record ListPage(long count, List<OtpCode> results, int offset, int limit, ReadStats stats) {
}
