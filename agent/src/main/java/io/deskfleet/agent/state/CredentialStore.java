package io.deskfleet.agent.state;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/** The desktop credential, kept in {@code <state-dir>/credential.properties} (owner-only: {@link DurableFiles} creates
 * files with mode 0600 on POSIX). */
public final class CredentialStore {
    private static final String DESKTOP_ID = "desktop_id";
    private static final String SECRET = "desktop_credential";

    private final Path file;

    public CredentialStore(Path stateDir) {
        this.file = stateDir.resolve("credential.properties");
    }

    public Optional<Credential> load() throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties props = new Properties();
        props.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
        String id = props.getProperty(DESKTOP_ID, "");
        String secret = props.getProperty(SECRET, "");
        if (id.isEmpty() || secret.isEmpty()) {
            throw new IOException(file + " is incomplete; delete it and register again with a new activation");
        }
        return Optional.of(new Credential(id, secret));
    }

    public void save(Credential credential) throws IOException {
        Properties props = new Properties();
        props.setProperty(DESKTOP_ID, credential.desktopId());
        props.setProperty(SECRET, credential.secret());
        StringWriter out = new StringWriter();
        props.store(out, "Deskfleet desktop credential");
        DurableFiles.write(file, out.toString().getBytes(StandardCharsets.UTF_8));
    }
}
