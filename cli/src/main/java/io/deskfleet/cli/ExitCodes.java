package io.deskfleet.cli;

/** Process exit codes, as documented in the README. */
public final class ExitCodes {
    public static final int OK = 0;
    /** The API refused the request (its error_code and error_msg are printed) or could not be reached. */
    public static final int API_ERROR = 1;
    /** Bad options or arguments, or not logged in. */
    public static final int USAGE = 2;
    /** A followed task ended FAILED or CANCELLED. */
    public static final int TASK_NOT_SUCCEEDED = 3;
    /** Ctrl-C (or SIGTERM) ended the following of a task that goes on (128 + SIGINT, as shells report it). */
    public static final int INTERRUPTED = 130;

    private ExitCodes() {
    }
}
