package io.deskfleet.controlplane.cluster;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The first row a hint on the inbox channel names for a replica. */
class InboxHintTest {

    @Test
    void aReplicaReadsItsOwnLineOnly() {
        String payload = "cp1 120\ncp12 7\ncp2 120";
        assertEquals(120, Inbox.firstIdFor("cp1", payload));
        assertEquals(7, Inbox.firstIdFor("cp12", payload), "cp1's line is not cp12's");
        assertEquals(0, Inbox.firstIdFor("cp3", payload));
    }
}
