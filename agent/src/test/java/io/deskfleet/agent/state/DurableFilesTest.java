package io.deskfleet.agent.state;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class DurableFilesTest {
    @TempDir
    Path dir;

    @Test
    void replacesTheContentAndLeavesNoTempFileBehind() throws IOException {
        Path target = dir.resolve("power.state");
        DurableFiles.write(target, "first".getBytes());
        DurableFiles.write(target, "second, longer".getBytes());

        assertEquals("second, longer", Files.readString(target));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(target), files.toList());
        }
    }

    @Test
    void aTempFileACrashLeftBehindIsTruncatedByTheNextWrite() throws IOException {
        Path target = dir.resolve("result.pb");
        Files.writeString(dir.resolve(".result.pb.tmp"), "a longer half-written result from before the crash");

        DurableFiles.write(target, "short".getBytes());

        assertEquals("short", Files.readString(target));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(target), files.toList());
        }
    }

    @Test
    void filesAreOwnerOnly() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path target = dir.resolve("credential.properties");
        DurableFiles.write(target, "secret".getBytes());

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
    }
}
