package io.deskfleet.controlplane.audit;

/**
 * Who did something: a user (with a token or the web page or the CLI), an access key acting as its user, the control
 * plane itself on behalf of a scheduled task, or an anonymous caller whose credentials were missing or refused.
 *
 * @param userId          null for SYSTEM, and for ANONYMOUS unless known
 * @param userName        the user's name; for a failed login the name it claimed; {@code system} for SYSTEM
 * @param accessKey       the access key of a signed request, else null
 * @param role            {@code admin} or {@code readonly} in the project, null when not authenticated
 * @param scheduledTaskId the scheduled task a SYSTEM act was done for, else null
 */
public record Actor(Type type, String userId, String userName, String accessKey, String role,
                    String scheduledTaskId) {

    public enum Type { USER, ACCESS_KEY, SYSTEM, ANONYMOUS }

    public static final String SYSTEM_NAME = "system";

    public static Actor system(String scheduledTaskId) {
        return new Actor(Type.SYSTEM, null, SYSTEM_NAME, null, null, scheduledTaskId);
    }

    public boolean isSystem() {
        return type == Type.SYSTEM;
    }
}
