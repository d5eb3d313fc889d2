package io.deskfleet.cli.http;

import io.deskfleet.cli.CliFailure;
import io.deskfleet.cli.ExitCodes;

/** The server could not be reached, or answered something that is not the contract. */
public final class ProtocolFailure extends CliFailure {
    public ProtocolFailure(String message) {
        super(ExitCodes.API_ERROR, message);
    }
}
