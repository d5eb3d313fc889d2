package io.deskfleet.controlplane.cluster;

import io.deskfleet.controlplane.startup.StartRefused;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;

import java.util.regex.Pattern;

/**
 * Which replica this process is. Without {@code DESKFLEET_REPLICA_ID} (deskfleet.replica.id) it is the only control
 * plane on its database, as it always was; with one, it is one of several replicas sharing a PostgreSQL database
 * (docs/operations.md). Replicas need PostgreSQL: H2 is embedded in one process, so a replica id on H2 is refused
 * at startup.
 */
@Context
public class Replica {
    /** The id of the one control plane of a single-node deployment, as /prometheus shows it. */
    public static final String SINGLE = "single";
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,39}");

    private final String id;
    private final boolean clustered;

    public Replica(@Value("${deskfleet.replica.id:}") String id,
                   @Value("${datasources.default.url:}") String databaseUrl) {
        this.clustered = !id.isBlank();
        if (clustered && !VALID.matcher(id).matches()) {
            throw new StartRefused("Cannot start: DESKFLEET_REPLICA_ID '" + id + "' must be 1-40 letters, digits,"
                    + " '.', '_' or '-', starting with a letter or digit.");
        }
        if (clustered && !databaseUrl.startsWith("jdbc:postgresql:")) {
            throw new StartRefused("Cannot start: DESKFLEET_REPLICA_ID is set, and replicas share a PostgreSQL"
                    + " database; DATASOURCES_DEFAULT_URL is not one (" + databaseUrl.replaceAll(";.*", "")
                    + "). Unset DESKFLEET_REPLICA_ID to run one control plane on H2, or point every replica at the"
                    + " same PostgreSQL.");
        }
        this.id = clustered ? id : SINGLE;
    }

    /** Whether other replicas may share the database. */
    public boolean clustered() {
        return clustered;
    }

    /** This replica's id, or {@value #SINGLE}. */
    public String id() {
        return id;
    }
}
