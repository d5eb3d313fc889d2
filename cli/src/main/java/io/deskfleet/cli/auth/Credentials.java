package io.deskfleet.cli.auth;

import io.deskfleet.cli.CliFailure;
import io.deskfleet.cli.ExitCodes;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;

/**
 * What {@code login} stores: endpoint, project and token, in ~/.config/deskfleet/credentials (or the file named by
 * DESKFLEET_CONFIG). The file holds a bearer token, so it is created readable by its owner only.
 */
public record Credentials(String endpoint, String projectId, String token) {

    public static Path file() {
        String override = System.getenv("DESKFLEET_CONFIG");
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        return Path.of(System.getProperty("user.home"), ".config", "deskfleet", "credentials");
    }

    public static Credentials load(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            throw notLoggedIn();
        } catch (IOException e) {
            throw new CliFailure(ExitCodes.USAGE, "cannot read " + file + ": " + e.getMessage());
        }
        Credentials credentials = new Credentials(properties.getProperty("endpoint"),
                properties.getProperty("project_id"), properties.getProperty("token"));
        if (credentials.endpoint() == null || credentials.projectId() == null || credentials.token() == null) {
            throw notLoggedIn();
        }
        return credentials;
    }

    private static CliFailure notLoggedIn() {
        return new CliFailure(ExitCodes.USAGE,
                "not logged in: run 'deskfleet login --endpoint URL --user NAME --project-id ID' first");
    }

    /** Writes a 0600 file next to the target and moves it into place, so the token is never world-readable. */
    public void save(Path file) {
        Properties properties = new Properties();
        properties.setProperty("endpoint", endpoint);
        properties.setProperty("project_id", projectId);
        properties.setProperty("token", token);
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path temp = Files.createTempFile(dir, ".credentials", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            StringWriter text = new StringWriter();
            properties.store(text, "deskfleet login");
            Files.writeString(temp, text.toString());
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AccessDeniedException e) {
            throw new CliFailure(ExitCodes.API_ERROR, "cannot write " + file + ": permission denied");
        } catch (IOException e) {
            throw new CliFailure(ExitCodes.API_ERROR, "cannot write " + file + ": " + e.getMessage());
        }
    }
}
