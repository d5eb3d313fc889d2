package io.deskfleet.controlplane.inventory;

/**
 * The contract's login_status, driven by the agent: REGISTERED once the agent registered, CONNECTED while its
 * stream is up, DISCONNECTED once the stream is gone or silent. UNREGISTER is never stored: a desktop exists only
 * through registration.
 */
public enum LoginStatus {
    REGISTERED, CONNECTED, DISCONNECTED
}
