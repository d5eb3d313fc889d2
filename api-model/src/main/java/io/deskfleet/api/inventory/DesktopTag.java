package io.deskfleet.api.inventory;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.deskfleet.api.error.ApiException;

/** A desktop tag; in query strings written as {@code key=value}. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DesktopTag(String key, String value) {

    /** Parses {@code key=value} (the value may be empty, the key may not). */
    public static DesktopTag parse(String text) {
        int eq = text == null ? -1 : text.indexOf('=');
        if (eq <= 0) {
            throw ApiException.invalid("tag must be written as key=value.");
        }
        DesktopTag tag = new DesktopTag(text.substring(0, eq), text.substring(eq + 1));
        tag.validate();
        return tag;
    }

    public void validate() {
        if (key == null || key.isEmpty() || key.length() > 128) {
            throw ApiException.invalid("tag key must be 1-128 characters.");
        }
        if (value == null || value.length() > 255) {
            throw ApiException.invalid("tag value must be at most 255 characters.");
        }
    }
}
