package io.deskfleet.cli.http;

import io.deskfleet.cli.CliFailure;
import io.deskfleet.cli.ExitCodes;

/** A 4xx/5xx answer; the message carries the contract's error_code and error_msg. */
public final class ApiError extends CliFailure {
    private final int status;

    public ApiError(int status, String errorCode, String errorMsg, boolean sentToken) {
        super(ExitCodes.API_ERROR, (errorCode == null ? "HTTP " + status : errorCode) + ": " + errorMsg
                + (status == 401 && sentToken ? " (the stored token was refused; run deskfleet login again)" : ""));
        this.status = status;
    }

    public int status() {
        return status;
    }
}
