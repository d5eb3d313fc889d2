package io.deskfleet.cli.follow;

/** One Server-Sent Event: its type ({@code message} when the server named none) and its data lines joined by \n. */
public record SseEvent(String type, String data) {
}
