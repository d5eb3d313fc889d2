package io.deskfleet.controlplane.output;

/** Where a run of UTF-8 bytes can be cut without splitting a character, so each output event is whole text. */
final class Utf8Cut {
    private Utf8Cut() {
    }

    /**
     * The length of the longest prefix of {@code data[0, length)} that does not end inside a multi-byte character.
     * Invalid bytes count as whole characters (they decode to U+FFFD wherever they are), so at most 3 bytes are
     * held back.
     */
    static int boundary(byte[] data, int length) {
        int i = length - 1;
        int continuation = 0;
        while (i >= 0 && (data[i] & 0xC0) == 0x80 && continuation < 3) {
            i--;
            continuation++;
        }
        if (i < 0) {
            return length;
        }
        int lead = data[i] & 0xFF;
        int needed = lead >= 0xF0 && lead < 0xF8 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0;
        return continuation >= needed ? length : i;
    }
}
