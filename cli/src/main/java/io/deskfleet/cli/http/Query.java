package io.deskfleet.cli.http;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** A query string of the parameters that are set; absent (null) ones are left out. */
public final class Query {
    private final StringBuilder text = new StringBuilder();

    public Query add(String name, Object value) {
        if (value != null) {
            text.append(text.length() == 0 ? '?' : '&').append(name).append('=')
                    .append(URLEncoder.encode(value.toString(), StandardCharsets.UTF_8));
        }
        return this;
    }

    /** One path segment (an id typed by the user), percent-encoded. */
    public static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
