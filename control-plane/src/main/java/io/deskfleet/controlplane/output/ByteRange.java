package io.deskfleet.controlplane.output;

/**
 * A {@code Range: bytes=...} request header against an output of {@code size} bytes (RFC 9110 section 14). One range
 * is served; a header with several ranges, another unit or bad syntax is ignored (the whole output is sent), as the
 * RFC allows. A well-formed range that starts at or beyond the end is unsatisfiable (416).
 */
sealed interface ByteRange {

    /** No (usable) Range header: the whole output. */
    record Whole() implements ByteRange {
    }

    /** Bytes {@code [start, end)}. */
    record Part(long start, long end) implements ByteRange {
    }

    record Unsatisfiable() implements ByteRange {
    }

    static ByteRange parse(String header, long size) {
        if (header == null) {
            return new Whole();
        }
        String h = header.trim();
        if (!h.regionMatches(true, 0, "bytes=", 0, 6)) {
            return new Whole();
        }
        String spec = h.substring(6).trim();
        if (spec.contains(",")) {
            return new Whole();
        }
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return new Whole();
        }
        String first = spec.substring(0, dash).trim();
        String last = spec.substring(dash + 1).trim();
        try {
            if (first.isEmpty()) {
                // suffix: the last n bytes
                long n = digits(last);
                if (n == 0 || size == 0) {
                    return new Unsatisfiable();
                }
                return new Part(Math.max(0, size - n), size);
            }
            long start = digits(first);
            long end = last.isEmpty() ? size : Math.min(size, addOne(digits(last)));
            if (!last.isEmpty() && digits(last) < start) {
                return new Whole();
            }
            if (start >= size) {
                return new Unsatisfiable();
            }
            return new Part(start, end);
        } catch (NumberFormatException e) {
            return new Whole();
        }
    }

    private static long digits(String text) {
        if (text.isEmpty() || !text.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            throw new NumberFormatException(text);
        }
        return text.length() > 18 ? Long.MAX_VALUE : Long.parseLong(text);
    }

    private static long addOne(long value) {
        return value == Long.MAX_VALUE ? value : value + 1;
    }
}
