package io.deskfleet.controlplane.refusal;

/**
 * Why the domain will not do what it was asked, in the domain's words. Rolling out, planning, inventory and
 * schedules say no with one of these and never name an HTTP status: the REST edge maps the reason to a status and
 * the contract's error body ({@code web.RefusedHandler}), as Zeebe's engine writes a rejection record with a
 * rejection type and leaves the gateway to turn it into a gRPC status.
 *
 * @param reason  what kind of no it is
 * @param message what the caller reads, naming the field or the resource
 */
public record Refusal(Reason reason, String message) {

    public enum Reason {
        /** The request itself is wrong: a missing or malformed field, or values that contradict each other. */
        INVALID_ARGUMENT,
        /** Something the request names does not exist in the project. */
        NOT_FOUND,
        /** A resource with that identity already exists. */
        ALREADY_EXISTS,
        /** The resource exists but its state forbids the act, for example stopping a finished task. */
        INVALID_STATE,
        /** This caller may not do it, whatever the state: for example approving the task they requested. */
        NOT_PERMITTED
    }

    public static Refusal invalid(String message) {
        return new Refusal(Reason.INVALID_ARGUMENT, message);
    }

    public static Refusal notFound(String message) {
        return new Refusal(Reason.NOT_FOUND, message);
    }

    public static Refusal alreadyExists(String message) {
        return new Refusal(Reason.ALREADY_EXISTS, message);
    }

    public static Refusal invalidState(String message) {
        return new Refusal(Reason.INVALID_STATE, message);
    }

    public static Refusal notPermitted(String message) {
        return new Refusal(Reason.NOT_PERMITTED, message);
    }

    /** The refusal as an exception, for code paths that cannot return it. */
    public Refused asException() {
        return new Refused(this);
    }
}
