package io.deskfleet.controlplane.auth;

import io.deskfleet.controlplane.startup.StartupFailures;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdminBootstrapTest {
    private static final Pattern LINE =
            Pattern.compile("Generated admin password for user 'root': (\\S+) \\(shown once\\)");

    private final String url = "jdbc:h2:mem:" + UUID.randomUUID()
            + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";

    /** Starts and stops a control plane (REST and agent server) on the shared database; returns what it printed. */
    private String start(String password, java.util.function.Consumer<UserStore> check) {
        return start(password, -1, 0, check);
    }

    private String start(String password, int restPort, int agentPort, java.util.function.Consumer<UserStore> check) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, Map.of(
                "datasources.default.url", url, "micronaut.server.port", restPort, "grpc.server.port", agentPort,
                "deskfleet.auth.admin-user", "root", "deskfleet.auth.admin-password", password))) {
            check.accept(server.getApplicationContext().getBean(UserStore.class));
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    /** A first start that fails on a taken port says which and how to move it, and stores no unseen password. */
    @Test
    void aStartOnATakenPortNamesItAndKeepsTheGeneratedPasswordForTheStartThatWorks() throws IOException {
        try (ServerSocket taken = new ServerSocket(0)) {
            int port = taken.getLocalPort();
            Throwable rest = assertThrows(Throwable.class, () -> start("", port, 0, users -> { }));
            assertEquals(Optional.of("Cannot start: the REST port " + port + " is already in use by another process."
                    + " Stop that process, or set MICRONAUT_SERVER_PORT to a free port."),
                    StartupFailures.explain(rest));
            Throwable agent = assertThrows(Throwable.class, () -> start("", -1, port, users -> { }));
            assertEquals(Optional.of("Cannot start: the agent gRPC port " + port + " is already in use by another"
                    + " process. Stop that process, or set GRPC_SERVER_PORT to a free port."),
                    StartupFailures.explain(agent));
        }
        String started = start("", users -> { });
        Matcher m = LINE.matcher(started);
        assertTrue(m.find(), "the first start that works generates and prints the password: " + started);
        String password = m.group(1);
        start("", users -> assertTrue(PasswordHasher.matches(password,
                users.findByName("root").orElseThrow().passwordHash())));
    }

    @Test
    void generatesOncePrintsOnceAndConfiguredPasswordWins() {
        String[] generated = new String[1];
        String first = start("", users -> { });
        Matcher m = LINE.matcher(first);
        assertTrue(m.find(), "first start prints the generated password");
        generated[0] = m.group(1);
        String second = start("", users -> {
            UserStore.User root = users.findByName("root").orElseThrow();
            assertTrue(root.administrator());
            assertTrue(PasswordHasher.matches(generated[0], root.passwordHash()));
            assertFalse(root.passwordHash().contains(generated[0]), "only a hash is stored");
        });
        assertFalse(second.contains("Generated admin password"), "never printed again");
        start("configured-now", users -> {
            String hash = users.findByName("root").orElseThrow().passwordHash();
            assertTrue(PasswordHasher.matches("configured-now", hash));
            assertFalse(PasswordHasher.matches(generated[0], hash));
        });
    }
}
