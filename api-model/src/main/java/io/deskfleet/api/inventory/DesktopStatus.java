package io.deskfleet.api.inventory;

import io.deskfleet.api.error.ApiException;

/** The power-derived status of a desktop. */
public enum DesktopStatus {
    ACTIVE, SHUTOFF, ERROR, HIBERNATED;

    /** Parses a status query parameter; anything else is a 400. */
    public static DesktopStatus parse(String text) {
        for (DesktopStatus s : values()) {
            if (s.name().equals(text)) {
                return s;
            }
        }
        throw ApiException.invalid("status must be one of ACTIVE, SHUTOFF, ERROR, HIBERNATED.");
    }
}
