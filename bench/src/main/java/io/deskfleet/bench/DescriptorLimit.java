package io.deskfleet.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * RLIMIT_NOFILE of a process, from /proc/[pid]/limits. Each connected desktop holds one descriptor in the control
 * plane (and one in the swarm's process), and the JVM raises its soft limit to the hard one at start
 * (-XX:+MaxFDLimit, the default), so the hard limit is what bounds a swarm; raising it needs CAP_SYS_RESOURCE.
 *
 * @param soft the limit in force
 * @param hard the ceiling an unprivileged process may raise soft to
 */
record DescriptorLimit(long soft, long hard) {
    /** Descriptors a process needs besides its connections: jars, the database, logs, epoll, REST, pipes. */
    static final int RESERVE = 1_000;

    static DescriptorLimit of(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "limits"))) {
                if (line.startsWith("Max open files")) {
                    String[] fields = line.substring("Max open files".length()).trim().split("\\s+");
                    return new DescriptorLimit(parse(fields[0]), parse(fields[1]));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/" + pid + "/limits: " + e.getMessage(), e);
        }
        throw new IllegalStateException("/proc/" + pid + "/limits has no Max open files line");
    }

    private static long parse(String value) {
        return value.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(value);
    }

    /** The most connections a process with this limit can hold next to its {@link #RESERVE}. */
    long maxConnections() {
        return Math.max(0, hard - RESERVE);
    }

    /** Null when n connections fit; otherwise why not, naming the limit, for the row that is not measured. */
    String refusal(String process, int n) {
        if (n <= maxConnections()) {
            return null;
        }
        return "not measured: " + n + " connections need " + (n + RESERVE) + " descriptors in " + process
                + ", whose RLIMIT_NOFILE hard limit is " + hard + " (at most " + maxConnections() + " connections);"
                + " raise it (ulimit -Hn, systemd LimitNOFILE, /etc/security/limits.conf; needs CAP_SYS_RESOURCE)";
    }

    @Override
    public String toString() {
        return "RLIMIT_NOFILE soft " + soft + ", hard " + hard;
    }
}
