package io.deskfleet.api.common;

import io.deskfleet.api.error.ApiException;

/** A validated offset/limit pair from query parameters. */
public record Page(int offset, int limit) {

    /**
     * @param offset       the raw offset, null for 0
     * @param limit        the raw limit, null for {@code defaultLimit}
     * @param defaultLimit used when no limit is given
     * @param maxLimit     the largest limit accepted
     */
    public static Page of(Integer offset, Integer limit, int defaultLimit, int maxLimit) {
        int o = offset == null ? 0 : offset;
        int l = limit == null ? defaultLimit : limit;
        if (o < 0) {
            throw ApiException.invalid("offset must be 0 or more.");
        }
        if (l < 1 || l > maxLimit) {
            throw ApiException.invalid("limit must be between 1 and " + maxLimit + ".");
        }
        return new Page(o, l);
    }
}
