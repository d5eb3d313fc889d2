package io.deskfleet.it.harness;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Throw-away PEM certificates made at test time with the JDK's keytool (no keys in the repository): a CA, and
 * leaf certificates it signs for the server (127.0.0.1/localhost) or for clients. Keys are RSA, written as PKCS#8.
 */
public final class TestCertificates {
    private static final String PASSWORD = "test-only";

    private final Path dir;
    private final Path keystore;

    private TestCertificates(Path dir) {
        this.dir = dir;
        this.keystore = dir.resolve("keys.p12");
    }

    /** Files of one identity: its certificate chain (leaf, then CA) and its private key. */
    public record Identity(Path certChain, Path privateKey) {
    }

    public static TestCertificates in(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return new TestCertificates(dir);
    }

    /** A self-signed CA; returns its certificate's PEM file. */
    public Path ca(String alias) {
        keytool("-genkeypair", "-alias", alias, "-dname", "CN=" + alias, "-keyalg", "RSA", "-keysize", "2048",
                "-validity", "2", "-ext", "bc:c");
        Path pem = dir.resolve(alias + ".pem");
        keytool("-exportcert", "-rfc", "-alias", alias, "-file", pem.toString());
        return pem;
    }

    /** A server certificate for 127.0.0.1 and localhost, signed by the CA made with {@link #ca}. */
    public Identity server(String alias, String caAlias) {
        return leaf(alias, caAlias, "serverAuth", "san=ip:127.0.0.1,dns:localhost");
    }

    /** A client certificate, signed by the CA made with {@link #ca}. */
    public Identity client(String alias, String caAlias) {
        return leaf(alias, caAlias, "clientAuth", null);
    }

    private Identity leaf(String alias, String caAlias, String usage, String san) {
        keytool("-genkeypair", "-alias", alias, "-dname", "CN=" + alias, "-keyalg", "RSA", "-keysize", "2048",
                "-validity", "2");
        Path csr = dir.resolve(alias + ".csr");
        Path cert = dir.resolve(alias + ".crt");
        keytool("-certreq", "-alias", alias, "-file", csr.toString());
        List<String> sign = new ArrayList<>(List.of("-gencert", "-alias", caAlias, "-infile", csr.toString(),
                "-outfile", cert.toString(), "-rfc", "-validity", "2", "-ext", "eku=" + usage));
        if (san != null) {
            sign.addAll(List.of("-ext", san));
        }
        keytool(sign.toArray(String[]::new));
        try {
            Path chain = dir.resolve(alias + "-chain.pem");
            Files.writeString(chain, Files.readString(cert) + Files.readString(dir.resolve(caAlias + ".pem")));
            Path key = dir.resolve(alias + "-key.pem");
            Files.writeString(key, pkcs8Pem(alias));
            return new Identity(chain, key);
        } catch (IOException | GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private String pkcs8Pem(String alias) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        Key key = store.getKey(alias, PASSWORD.toCharArray());
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    private void keytool(String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-J-XX:TieredStopAtLevel=1"));
        command.addAll(List.of(args));
        command.addAll(List.of("-keystore", keystore.toString(), "-storetype", "PKCS12",
                "-storepass", PASSWORD, "-noprompt"));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new AssertionError("keytool failed: " + command + "\n"
                        + new String(output, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
