package io.deskfleet.controlplane.cluster;

import io.deskfleet.controlplane.startup.StartRefused;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplicaTest {
    private static final String POSTGRES = "jdbc:postgresql://db.example:5432/deskfleet";
    private static final String H2 = "jdbc:h2:file:/var/lib/deskfleet/db;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE";

    @Test
    void withoutAnIdItIsTheSingleControlPlaneOnAnyDatabase() {
        Replica onH2 = new Replica("", H2);
        assertFalse(onH2.clustered());
        assertEquals("single", onH2.id());
        assertEquals("single", new Replica("", POSTGRES).id());
    }

    @Test
    void anIdOnPostgresqlIsAReplica() {
        Replica replica = new Replica("eu-west.1_b", POSTGRES);
        assertTrue(replica.clustered());
        assertEquals("eu-west.1_b", replica.id());
    }

    /** H2 lives inside one process: nobody else could share it. The message names the URL without its options. */
    @Test
    void anIdOnH2IsRefusedInOneLine() {
        StartRefused refused = assertThrows(StartRefused.class, () -> new Replica("eu-1", H2));
        assertEquals("Cannot start: DESKFLEET_REPLICA_ID is set, and replicas share a PostgreSQL database;"
                + " DATASOURCES_DEFAULT_URL is not one (jdbc:h2:file:/var/lib/deskfleet/db). Unset"
                + " DESKFLEET_REPLICA_ID to run one control plane on H2, or point every replica at the same"
                + " PostgreSQL.", refused.getMessage());
    }

    @Test
    void anInvalidIdIsRefusedInOneLineWhateverTheDatabase() {
        for (String id : new String[] {"-eu", "eu 1", "eu/1", "é", "a".repeat(41)}) {
            StartRefused refused = assertThrows(StartRefused.class, () -> new Replica(id, POSTGRES), id);
            assertEquals("Cannot start: DESKFLEET_REPLICA_ID '" + id + "' must be 1-40 letters, digits, '.', '_'"
                    + " or '-', starting with a letter or digit.", refused.getMessage());
            assertFalse(refused.getMessage().contains("\n"));
        }
        assertEquals("a".repeat(40), new Replica("a".repeat(40), POSTGRES).id());
    }
}
