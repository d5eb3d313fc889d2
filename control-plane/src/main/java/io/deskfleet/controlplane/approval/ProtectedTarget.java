package io.deskfleet.controlplane.approval;

import io.deskfleet.controlplane.refusal.Refusal;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** A pool, or a desktop tag, whose desktops run nothing without a second admin's approval. */
public record ProtectedTarget(String id, String projectId, Type objectType, String objectId, String createdBy,
                              Instant createdAt) {

    /** Named like the contract's apply_objects object types. */
    public enum Type { DESKTOP_POOL, DESKTOP_TAG }

    /** key=value as agents' --tag; the same characters the inventory accepts are not narrowed further here. */
    private static final Pattern TAG = Pattern.compile("[^=\\s]{1,128}=[^\\s]{0,255}");

    /** The tag's key and value. */
    public String[] tag() {
        return objectId.split("=", 2);
    }

    /** The type named in a request, or the refusal that says what is accepted. */
    public static Type parseType(String value) {
        try {
            return Type.valueOf(value == null ? "" : value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw Refusal.invalid("object_type: must be one of DESKTOP_POOL, DESKTOP_TAG").asException();
        }
    }

    public static Optional<Refusal> refuseObjectId(Type type, String objectId) {
        if (objectId == null || objectId.isBlank()) {
            return Optional.of(Refusal.invalid("object_id: must not be empty."));
        }
        if (type == Type.DESKTOP_TAG && !TAG.matcher(objectId).matches()) {
            return Optional.of(Refusal.invalid("object_id: a tag must be key=value."));
        }
        if (objectId.length() > 400) {
            return Optional.of(Refusal.invalid("object_id: must be at most 400 characters."));
        }
        return Optional.empty();
    }
}
