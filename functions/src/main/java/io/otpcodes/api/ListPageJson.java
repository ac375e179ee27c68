package io.otpcodes.api;

import io.otpcodes.domain.ListPage;
import io.otpcodes.domain.ListQuery;
import io.otpcodes.domain.OtpCode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A list page as DRF's LimitOffsetPagination writes it: count, next, previous, results. The
 * links are the called URL with every parameter kept, sorted by name, limit written, as DRF's
 * replace_query_param builds them.
 */
public final class ListPageJson {

    private ListPageJson() {
    }

    /** The page, its links on the URL the client called. */
    public static Map<String, Object> render(ListPage page, ApiRequest request, Instant now) {
        return render(page, request.absoluteUrlWithoutQuery(), request.multiValueQueryParameters(), now);
    }

    /**
     * The page, its links on {@code baseUrl} with {@code params} (a direct invocation, which
     * has no URL, gets links relative to the API's path).
     */
    public static Map<String, Object> render(ListPage page, String baseUrl, Map<String, List<String>> params, Instant now) {
        List<Object> results = new ArrayList<>(page.results().size());
        for (OtpCode code : page.results()) {
            results.add(OtpCodeJson.render(code, now));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("count", page.count());
        body.put("next", next(page, baseUrl, params));
        body.put("previous", previous(page, baseUrl, params));
        body.put("results", results);
        return body;
    }

    private static String next(ListPage page, String baseUrl, Map<String, List<String>> query) {
        if ((long) page.offset() + page.limit() >= page.count()) {
            return null;
        }
        TreeMap<String, List<String>> params = new TreeMap<>(query);
        params.put(ListQuery.LIMIT, List.of(Integer.toString(page.limit())));
        params.put(ListQuery.OFFSET, List.of(Long.toString((long) page.offset() + page.limit())));
        return url(baseUrl, params);
    }

    private static String previous(ListPage page, String baseUrl, Map<String, List<String>> query) {
        if (page.offset() <= 0) {
            return null;
        }
        TreeMap<String, List<String>> params = new TreeMap<>(query);
        params.put(ListQuery.LIMIT, List.of(Integer.toString(page.limit())));
        if (page.offset() - page.limit() <= 0) {
            params.remove(ListQuery.OFFSET);
        } else {
            params.put(ListQuery.OFFSET, List.of(Integer.toString(page.offset() - page.limit())));
        }
        return url(baseUrl, params);
    }

    private static String url(String baseUrl, TreeMap<String, List<String>> params) {
        StringBuilder url = new StringBuilder(baseUrl);
        char separator = '?';
        for (Map.Entry<String, List<String>> entry : params.entrySet()) {
            for (String value : entry.getValue()) {
                url.append(separator).append(quotePlus(entry.getKey())).append('=').append(quotePlus(value));
                separator = '&';
            }
        }
        return url.toString();
    }

    /** Python's urllib.parse.quote_plus: only letters, digits and "_.-~" stay as they are. */
    static String quotePlus(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("*", "%2A").replace("%7E", "~");
    }
}
