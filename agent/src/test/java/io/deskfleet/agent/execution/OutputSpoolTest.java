package io.deskfleet.agent.execution;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The agent keeps small output in memory, spills larger output to its file, and cuts at the cap. */
class OutputSpoolTest {

    @Test
    void smallOutputStaysInMemoryAndLargeOutputSpillsWhole(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("output");
        byte[] data = new byte[300];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) ('a' + i % 26);
        }
        try (OutputSpool spool = new OutputSpool(250, 100, file)) {
            spool.append(Arrays.copyOf(data, 80), 80);
            assertFalse(Files.exists(file), "80 bytes fit in memory");
            assertArrayEquals(Arrays.copyOfRange(data, 10, 20), spool.read(10, 10));
            spool.append(Arrays.copyOfRange(data, 80, 300), 220);
            assertTrue(Files.exists(file));
            assertEquals(250, spool.size());
            assertTrue(spool.truncated());
            assertArrayEquals(Arrays.copyOfRange(data, 60, 250), spool.read(60, 1000));
            assertEquals(0, spool.read(250, 10).length);
            spool.sync();
        }
        assertArrayEquals(Arrays.copyOf(data, 250), Files.readAllBytes(file));
    }
}
