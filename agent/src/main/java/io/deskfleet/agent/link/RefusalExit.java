package io.deskfleet.agent.link;

import io.deskfleet.agent.v1.Refusal;

/**
 * The agent's exit code and operator message for each definitive refusal. The codes are documented in AgentMain's
 * javadoc, its --help and the README; scripts and service managers key on them, so they never change meaning.
 */
public final class RefusalExit {
    public static final int CREDENTIAL_REFUSED = 3;
    public static final int ACTIVATION_REFUSED = 4;
    public static final int ACTIVATION_EXPIRED = 5;
    public static final int ACTIVATION_USED_UP = 6;
    public static final int WRONG_POOL = 7;
    public static final int REGISTRATION_INVALID = 8;
    public static final int OTHER_REFUSAL = 9;

    private RefusalExit() {
    }

    public static int code(Refusal refusal) {
        return switch (refusal) {
            case CREDENTIAL_REFUSED, DESKTOP_REVOKED -> CREDENTIAL_REFUSED;
            case ACTIVATION_UNKNOWN -> ACTIVATION_REFUSED;
            case ACTIVATION_EXPIRED -> ACTIVATION_EXPIRED;
            case ACTIVATION_USED_UP -> ACTIVATION_USED_UP;
            case WRONG_POOL -> WRONG_POOL;
            case INVALID_REGISTRATION -> REGISTRATION_INVALID;
            case REFUSAL_UNSPECIFIED, UNRECOGNIZED -> OTHER_REFUSAL;
        };
    }

    /** What the operator should do, on one line. */
    public static String advice(Refusal refusal) {
        return switch (refusal) {
            case CREDENTIAL_REFUSED -> "the control plane does not know this desktop's credential; register again "
                    + "with an activation and a fresh --state-dir";
            case DESKTOP_REVOKED -> "this desktop was revoked; register again with a new activation and a fresh "
                    + "--state-dir";
            case ACTIVATION_UNKNOWN -> "unknown activation or wrong code: check --project-id, --activation-id and "
                    + "--activation-code";
            case ACTIVATION_EXPIRED -> "the activation has expired: create a new one (POST .../agent-activations)";
            case ACTIVATION_USED_UP -> "the activation's registration limit is reached: raise it with a new "
                    + "activation";
            case WRONG_POOL -> "the activation is for another pool: check --pool-id";
            case INVALID_REGISTRATION -> "the control plane refused the registration's fields (see above): check "
                    + "--name and --tag";
            case REFUSAL_UNSPECIFIED, UNRECOGNIZED -> "the control plane refused this agent for a reason this "
                    + "version does not know: upgrade the agent";
        };
    }
}
