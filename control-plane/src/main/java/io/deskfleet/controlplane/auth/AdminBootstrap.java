package io.deskfleet.controlplane.auth;

import io.deskfleet.controlplane.db.Database;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.annotation.PostConstruct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the administrator exists. A configured password (WKS_ADMIN_PASSWORD) is the source of truth at every
 * start and is set before the server answers. Without one, a first start generates a password and prints it once,
 * but only once the start has succeeded (both ports bound): a start that fails, say on a port in use, must not store
 * a password its operator never saw among the stack trace, or the next start would lock them out. Nobody can log in
 * as the administrator before the password is printed anyway.
 */
@Context
public class AdminBootstrap {
    private static final Logger LOG = LoggerFactory.getLogger(AdminBootstrap.class);

    private final UserStore users;
    private final String adminUser;
    private final String adminPassword;

    public AdminBootstrap(UserStore users,
                          @Value("${deskfleet.auth.admin-user:admin}") String adminUser,
                          @Value("${deskfleet.auth.admin-password:}") String adminPassword) {
        this.users = users;
        this.adminUser = adminUser;
        this.adminPassword = adminPassword;
    }

    @PostConstruct
    void ensureConfiguredAdmin() {
        if (adminPassword == null || adminPassword.isEmpty()) {
            return;
        }
        if (users.findByName(adminUser).isEmpty() && created(PasswordHasher.hash(adminPassword))) {
            LOG.info("admin user created user={}", adminUser);
            return;
        }
        UserStore.User admin = users.findByName(adminUser).orElseThrow();
        if (!PasswordHasher.matches(adminPassword, admin.passwordHash()) || !admin.administrator()) {
            users.makeAdministrator(admin.id(), PasswordHasher.hash(adminPassword));
            LOG.info("admin password updated from configuration user={}", adminUser);
        }
    }

    @EventListener
    void generateAdminOnceStarted(ServerStartupEvent started) {
        if ((adminPassword != null && !adminPassword.isEmpty()) || users.findByName(adminUser).isPresent()) {
            return;
        }
        String password = Secrets.newSecret().substring(0, 24);
        if (!created(PasswordHasher.hash(password))) {
            return;
        }
        // Deliberately on stdout, not in the log: the operator needs it once, log shippers should not keep it.
        System.out.println("Generated admin password for user '" + adminUser + "': " + password + " (shown once)");
        LOG.info("admin user created user={}", adminUser);
    }

    /**
     * Creates the administrator; false when another replica starting at the same time on the same database did so
     * first (the user name is unique). Then that replica's password stands, and only that replica prints one.
     */
    private boolean created(String passwordHash) {
        try {
            users.create(adminUser, passwordHash, true);
            return true;
        } catch (DataAccessException e) {
            if (!Database.isUniqueViolation(e)) {
                throw e;
            }
            return false;
        }
    }
}
