package io.otpcodes.local;

import java.net.URI;
import java.net.URISyntaxException;

/** The command line's {@code --endpoint-url}: checked before any client is built with it. */
final class Endpoints {

    private Endpoints() {
    }

    /** What is wrong with an endpoint URL, in one line; null when it is fine (or absent). */
    static String problem(String endpoint) {
        if (endpoint == null) {
            return null;
        }
        String example = "http://127.0.0.1:8000";
        try {
            URI uri = new URI(endpoint);
            if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                    || uri.getHost() == null) {
                return "--endpoint-url must be a URL with its scheme, such as " + example + ", not '" + endpoint + "'";
            }
            return null;
        } catch (URISyntaxException e) {
            return "--endpoint-url must be a URL with its scheme, such as " + example + ", not '" + endpoint + "'";
        }
    }

    /** An SDK message without the request ids and retry details that follow its first sentence. */
    static String firstLine(String message) {
        if (message == null) {
            return "no reason given";
        }
        int cut = message.indexOf(" (Service:");
        if (cut < 0) {
            cut = message.indexOf(" (SDK Attempt Count");
        }
        return (cut > 0 ? message.substring(0, cut) : message).lines().findFirst().orElse(message);
    }
}
