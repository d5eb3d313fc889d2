package io.deskfleet.agent.execution;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Keeps the first {@code cap} bytes of a process's output and remembers whether anything was dropped. */
final class CappedOutput {
    private final int cap;
    // Grows with what is actually printed, so a large cap costs nothing for a quiet command.
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private boolean truncated;

    CappedOutput(int cap) {
        this.cap = cap;
    }

    void append(byte[] data, int offset, int length) {
        int room = cap - kept.size();
        if (length > room) {
            truncated = true;
        }
        kept.write(data, offset, Math.min(length, room));
    }

    record Captured(String text, boolean truncated) {
    }

    /**
     * UTF-8 text of at most {@code cap} bytes. A cut can split a multi-byte character; that partial character is
     * dropped rather than turned into a replacement character, which would make the text longer than the cap.
     */
    Captured captured() {
        byte[] bytes = kept.toByteArray();
        int end = truncated ? completeCharactersEnd(bytes) : bytes.length;
        String text = new String(bytes, 0, end, StandardCharsets.UTF_8);
        boolean cut = truncated;
        // Invalid bytes decode to U+FFFD (3 bytes each), which can push the text over the cap.
        int excess = text.getBytes(StandardCharsets.UTF_8).length - cap;
        if (excess > 0) {
            int endIndex = text.length();
            while (excess > 0) {
                int codePoint = text.codePointBefore(endIndex);
                excess -= utf8Length(codePoint);
                endIndex -= Character.charCount(codePoint);
            }
            text = text.substring(0, endIndex);
            cut = true;
        }
        return new Captured(text, cut);
    }

    private static int completeCharactersEnd(byte[] bytes) {
        int i = bytes.length - 1;
        int continuation = 0;
        while (i >= 0 && (bytes[i] & 0xC0) == 0x80 && continuation < 3) {
            i--;
            continuation++;
        }
        if (i < 0) {
            return bytes.length;
        }
        int lead = bytes[i] & 0xFF;
        int expected = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0;
        return continuation >= expected ? bytes.length : i;
    }

    private static int utf8Length(int codePoint) {
        return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
    }
}
