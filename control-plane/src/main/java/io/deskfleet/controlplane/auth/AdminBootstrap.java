package io.deskfleet.controlplane.auth;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PostConstruct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the administrator exists before the server answers. A configured password (WKS_ADMIN_PASSWORD) is the
 * source of truth at every start; without one, a first start generates a password and prints it once.
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
    void ensureAdmin() {
        var existing = users.findByName(adminUser);
        boolean configured = adminPassword != null && !adminPassword.isEmpty();
        if (existing.isEmpty()) {
            String password = configured ? adminPassword : Secrets.newSecret().substring(0, 24);
            users.create(adminUser, PasswordHasher.hash(password), true);
            if (!configured) {
                // Deliberately on stdout, not in the log: the operator needs it once, log shippers should not keep it.
                System.out.println("Generated admin password for user '" + adminUser + "': " + password
                        + " (shown once)");
            }
            LOG.info("admin user created user={}", adminUser);
            return;
        }
        UserStore.User admin = existing.get();
        if (configured && (!PasswordHasher.matches(adminPassword, admin.passwordHash())
                || !admin.administrator())) {
            users.makeAdministrator(admin.id(), PasswordHasher.hash(adminPassword));
            LOG.info("admin password updated from configuration user={}", adminUser);
        }
    }
}
