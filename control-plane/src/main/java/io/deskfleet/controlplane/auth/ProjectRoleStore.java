package io.deskfleet.controlplane.auth;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Optional;

/** Which users may act in which project, and how, over {@link ProjectRoleRepository}. */
@Singleton
public class ProjectRoleStore {
    private final ProjectRoleRepository repository;

    ProjectRoleStore(ProjectRoleRepository repository) {
        this.repository = repository;
    }

    /** Introspected: {@link ProjectRoleRepository#members} reads it straight from the result set. */
    @Introspected
    public record Member(String userId, String userName, Caller.Role role) {
    }

    public Optional<Caller.Role> roleOf(String userId, String projectId) {
        return repository.findById(new ProjectRoleRow.Key(userId, projectId)).map(ProjectRoleRow::role);
    }

    /** The projects the user has a role in. */
    public List<String> projectsOf(String userId) {
        return repository.projectsOf(userId);
    }

    public List<Member> members(String projectId) {
        return repository.members(projectId);
    }

    /** Gives the user this role in the project, replacing the one they had; both statements in one transaction. */
    @Transactional
    public void assign(String userId, String projectId, Caller.Role role) {
        ProjectRoleRow.Key key = new ProjectRoleRow.Key(userId, projectId);
        repository.deleteById(key);
        repository.save(new ProjectRoleRow(key, role));
    }

    /** @return false when the user had no role in the project */
    public boolean remove(String userId, String projectId) {
        return repository.delete(userId, projectId) > 0;
    }
}
