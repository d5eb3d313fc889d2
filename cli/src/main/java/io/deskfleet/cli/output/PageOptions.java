package io.deskfleet.cli.output;

import io.deskfleet.cli.http.Query;
import picocli.CommandLine.Option;

/** The API's offset/limit paging, passed through; the server applies its own default and maximum. */
public final class PageOptions {
    @Option(names = "--offset", description = "First entry to show (the API's offset).")
    Integer offset;

    @Option(names = "--limit", description = "How many entries to show (the API's limit).")
    Integer limit;

    public Query addTo(Query query) {
        return query.add("offset", offset).add("limit", limit);
    }

    /** A note under a table that does not show every match. */
    public static String more(int shown, long total) {
        return shown < total ? "(" + shown + " of " + total + " shown; use --offset and --limit for more)\n" : "";
    }
}
