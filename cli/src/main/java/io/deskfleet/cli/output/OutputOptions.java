package io.deskfleet.cli.output;

import picocli.CommandLine.Option;

import java.io.PrintWriter;

/** --output for commands that list: a table for people, or the API's own JSON for scripts. */
public final class OutputOptions {
    public enum Format { table, json }

    @Option(names = {"-o", "--output"}, defaultValue = "table", paramLabel = "table|json",
            description = "table (default) or json: the API's JSON answer as received.")
    Format format = Format.table;

    public boolean json() {
        return format == Format.json;
    }

    /** With --output json, prints the API's answer as received and returns true; the caller then draws no table. */
    public boolean printedAsJson(String body, PrintWriter out) {
        if (json()) {
            out.println(body);
        }
        return json();
    }
}
