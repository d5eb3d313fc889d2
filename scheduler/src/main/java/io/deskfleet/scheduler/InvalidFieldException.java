package io.deskfleet.scheduler;

/**
 * A contract field that cannot be accepted. The message names the field and says what is wrong, so the control
 * plane can return it unchanged as the {@code error_msg} of a 400.
 */
public class InvalidFieldException extends RuntimeException {
    private final String field;

    public InvalidFieldException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The contract's snake_case name of the offending field, e.g. {@code week_list} or {@code apply_objects[2].object_id}. */
    public String field() {
        return field;
    }
}
