package io.deskfleet.controlplane.auth;

import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

/**
 * Users, over {@link UserRepository}. The administrator ({@code role = 'ADMIN'}) may act in every project; every
 * other user ({@code 'USER'}) only in the projects {@link ProjectRoleStore} gives them a role in.
 */
@Singleton
public class UserStore {
    private static final String ADMINISTRATOR = "ADMIN";
    private static final String USER = "USER";

    private final UserRepository repository;
    private final Clock clock;

    UserStore(UserRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    public record User(String id, String name, String passwordHash, boolean administrator) {
    }

    public Optional<User> findByName(String name) {
        return repository.findByName(name).map(UserStore::user);
    }

    public Optional<User> findById(String id) {
        return repository.findById(id).map(UserStore::user);
    }

    public User create(String name, String passwordHash, boolean administrator) {
        User user = new User(UUID.randomUUID().toString(), name, passwordHash, administrator);
        repository.save(new UserRow(user.id(), name, passwordHash, administrator ? ADMINISTRATOR : USER,
                clock.instant()));
        return user;
    }

    public void updatePassword(String id, String passwordHash) {
        repository.update(id, passwordHash);
    }

    public void makeAdministrator(String id, String passwordHash) {
        repository.update(id, passwordHash, ADMINISTRATOR);
    }

    private static User user(UserRow row) {
        return new User(row.id(), row.name(), row.passwordHash(), ADMINISTRATOR.equals(row.role()));
    }
}
