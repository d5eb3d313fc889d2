package io.deskfleet.agent.state;

/** What Register handed out: the desktop's identity and its secret. */
public record Credential(String desktopId, String secret) {
}
