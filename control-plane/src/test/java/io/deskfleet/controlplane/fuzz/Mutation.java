package io.deskfleet.controlplane.fuzz;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.function.Function;

/**
 * One malformed or boundary request made from a valid body: its name (printed when it fails), what the answer must
 * be, the content type it is sent with (null: none), how its bytes are made from a fresh valid body, and the JSON
 * field name a refusal's error_msg must contain (null: not checked).
 */
record Mutation(String name, Expect expect, String contentType, Function<ObjectNode, byte[]> body, String names) {

    enum Expect {
        /** Certainly valid: must be 2xx. */
        VALID,
        /** Certainly invalid: must be 4xx. */
        INVALID,
        /** Depends on rules the test does not model: 2xx or 4xx, never 5xx. */
        EITHER
    }

    static final String JSON = "application/json";
}
