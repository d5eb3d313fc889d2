package io.deskfleet.controlplane.auth;

import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdminBootstrapTest {
    private static final Pattern LINE =
            Pattern.compile("Generated admin password for user 'root': (\\S+) \\(shown once\\)");

    private final String url = "jdbc:h2:mem:" + UUID.randomUUID()
            + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";

    /** Starts and stops a control plane on the shared database; returns what it printed. */
    private String start(String password, java.util.function.Consumer<UserStore> check) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (ApplicationContext ctx = ApplicationContext.run(Map.of(
                "datasources.default.url", url, "grpc.server.port", "0",
                "deskfleet.auth.admin-user", "root", "deskfleet.auth.admin-password", password))) {
            check.accept(ctx.getBean(UserStore.class));
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
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
