package io.deskfleet.api.execution;

import io.deskfleet.api.error.ApiException;

/**
 * max_concurrency (our extension): how many non-gray desktops run per batch, as a count ("10" or 10) or a percentage
 * of the non-gray desktops ("25%"). Unlimited runs every non-gray desktop in one batch.
 */
public record MaxConcurrency(Kind kind, int value) {
    public enum Kind { UNLIMITED, COUNT, PERCENT }

    public static final MaxConcurrency UNLIMITED = new MaxConcurrency(Kind.UNLIMITED, 0);
    private static final String FIELD = "max_concurrency";

    /** Absent means unlimited. Jackson hands a JSON number over as its text, so 10 and "10" parse alike. */
    public static MaxConcurrency parse(String text) {
        if (text == null) {
            return UNLIMITED;
        }
        String trimmed = text.trim();
        boolean percent = trimmed.endsWith("%");
        String digits = percent ? trimmed.substring(0, trimmed.length() - 1).trim() : trimmed;
        int number;
        try {
            number = Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw ApiException.invalid(FIELD + ": must be a whole number such as 10 or a percentage such as \"25%\", got '"
                    + text + "'");
        }
        if (percent && (number < 1 || number > 100)) {
            throw ApiException.invalid(FIELD + ": a percentage must be between 1% and 100%");
        }
        if (!percent && number < 1) {
            throw ApiException.invalid(FIELD + ": must be at least 1");
        }
        return new MaxConcurrency(percent ? Kind.PERCENT : Kind.COUNT, number);
    }

    /** Desktops per non-gray batch for {@code nonGrayCount} non-gray desktops: at least 1, at most all of them. */
    public int batchSize(int nonGrayCount) {
        int size = switch (kind) {
            case UNLIMITED -> nonGrayCount;
            case COUNT -> value;
            case PERCENT -> (int) ((long) nonGrayCount * value / 100);
        };
        return Math.max(1, Math.min(size, nonGrayCount));
    }

    public boolean isUnlimited() {
        return kind == Kind.UNLIMITED;
    }
}
