package io.deskfleet.controlplane.schedule;

import io.deskfleet.api.error.ApiException;
import io.deskfleet.controlplane.refusal.Refusal;
import io.deskfleet.controlplane.refusal.Refused;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Asserts a call is refused as a bad argument, which a client reads as a 400 naming the field. */
public final class Refusals {
    private Refusals() {
    }

    /**
     * The schedule's own rules refuse with a domain {@link Refused}; the shared api-model field rules they call
     * still throw {@link ApiException}. Both become the same 400 body; either way the message names the field.
     */
    public static String assertInvalid(String field, Executable call) {
        RuntimeException e = assertThrows(RuntimeException.class, call);
        if (e instanceof Refused refused) {
            assertEquals(Refusal.Reason.INVALID_ARGUMENT, refused.refusal().reason(), e.getMessage());
        } else if (e instanceof ApiException api) {
            assertEquals(400, api.httpStatus(), e.getMessage());
        } else {
            fail("not a refusal: " + e, e);
        }
        assertTrue(e.getMessage().startsWith(field), e.getMessage());
        return e.getMessage();
    }
}
