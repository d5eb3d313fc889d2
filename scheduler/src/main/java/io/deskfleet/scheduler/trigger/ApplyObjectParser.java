package io.deskfleet.scheduler.trigger;

import io.deskfleet.scheduler.InvalidFieldException;

import java.util.ArrayList;
import java.util.List;

/** Validates the contract's {@code apply_objects}; errors name the element, e.g. {@code apply_objects[1].object_id}. */
public final class ApplyObjectParser {
    /** Bounds that keep a task's objects within its stored column (100,000 characters as JSON). */
    static final int MAX_OBJECTS = 200;
    static final int MAX_ID_LENGTH = 64;
    /** A desktop tag: key (up to 128) '=' value (up to 255), as agents may register them. */
    static final int MAX_TAG_LENGTH = 128 + 1 + 255;

    private ApplyObjectParser() {
    }

    /** The validated objects in request order; null (field absent) is an empty list. */
    public static List<ApplyObject> parse(List<ApplyObjectSpec> specs) {
        if (specs == null) {
            return List.of();
        }
        if (specs.size() > MAX_OBJECTS) {
            throw new InvalidFieldException("apply_objects", "apply_objects has " + specs.size()
                    + " objects; at most " + MAX_OBJECTS + " are allowed");
        }
        List<ApplyObject> objects = new ArrayList<>(specs.size());
        for (int i = 0; i < specs.size(); i++) {
            objects.add(parse(specs.get(i), "apply_objects[" + i + "]"));
        }
        return List.copyOf(objects);
    }

    private static ApplyObject parse(ApplyObjectSpec spec, String path) {
        if (spec == null) {
            throw new InvalidFieldException(path, path + " must be an object with object_type and object_id");
        }
        String typeField = path + ".object_type";
        String idField = path + ".object_id";
        if (spec.objectType() == null || spec.objectType().isBlank()) {
            throw new InvalidFieldException(typeField, typeField + " is required");
        }
        ApplyObjectType type;
        try {
            type = ApplyObjectType.valueOf(spec.objectType());
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException(typeField, typeField + " '" + spec.objectType()
                    + "' is unknown; use DESKTOP, DESKTOP_POOL, ALL_DESKTOPS or DESKTOP_TAG");
        }
        int maxLength = type == ApplyObjectType.DESKTOP_TAG ? MAX_TAG_LENGTH : MAX_ID_LENGTH;
        if (spec.objectId() != null && spec.objectId().length() > maxLength) {
            throw new InvalidFieldException(idField, idField + " is longer than " + maxLength + " characters");
        }
        if (type == ApplyObjectType.ALL_DESKTOPS) {
            return new ApplyObject(type, spec.objectId());
        }
        if (spec.objectId() == null || spec.objectId().isBlank()) {
            throw new InvalidFieldException(idField, idField + " is required when object_type is " + type);
        }
        if (type == ApplyObjectType.DESKTOP_TAG && spec.objectId().indexOf('=') < 1) {
            throw new InvalidFieldException(idField, idField + " '" + spec.objectId()
                    + "' is not a desktop tag; use key=value with a non-empty key");
        }
        return new ApplyObject(type, spec.objectId());
    }
}
