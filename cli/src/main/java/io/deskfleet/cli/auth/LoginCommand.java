package io.deskfleet.cli.auth;

import io.deskfleet.api.auth.TokenRequest;
import io.deskfleet.api.auth.TokenResponse;
import io.deskfleet.cli.http.ApiClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.Console;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "login", description = {
        "Gets a token (POST /v3/auth/tokens) and stores endpoint, project and token in ~/.config/deskfleet/credentials "
                + "(mode 0600; the file named by DESKFLEET_CONFIG if set).",
        "The password comes from --password, else DESKFLEET_PASSWORD, else a prompt."})
public final class LoginCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--endpoint", required = true, paramLabel = "URL", description = "e.g. http://host:8080")
    String endpoint;

    @Option(names = "--user", required = true)
    String user;

    @Option(names = "--password", description = "Visible in the process list; prefer DESKFLEET_PASSWORD or the prompt.")
    String password;

    @Option(names = "--project-id", required = true)
    String projectId;

    @Override
    public Integer call() {
        requireHttpUrl();
        TokenRequest body = new TokenRequest(new TokenRequest.Auth(
                new TokenRequest.Identity(List.of("password"), new TokenRequest.Password(
                        new TokenRequest.User(user, password(), new TokenRequest.Domain("Default")))),
                new TokenRequest.Scope(new TokenRequest.Project(projectId))));
        ApiClient api = new ApiClient(endpoint, null);
        ApiClient.Response response = api.post("/v3/auth/tokens", body);
        String token = response.headers().firstValue("X-Subject-Token")
                .orElseThrow(() -> new io.deskfleet.cli.http.ProtocolFailure("no X-Subject-Token in the answer"));
        TokenResponse.Token details = response.as(TokenResponse.class).token();
        Path file = Credentials.file();
        new Credentials(api.endpoint(), projectId, token).save(file);
        spec.commandLine().getOut().printf("Logged in to %s as %s, project %s (token expires %s); saved in %s%n",
                api.endpoint(), user, projectId, details == null ? "?" : details.expiresAt(), file);
        return 0;
    }

    private void requireHttpUrl() {
        try {
            URI uri = URI.create(endpoint);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new ParameterException(spec.commandLine(), "--endpoint must be an http:// or https:// URL, got '"
                + endpoint + "'");
    }

    private String password() {
        if (password != null) {
            return password;
        }
        String fromEnv = System.getenv("DESKFLEET_PASSWORD");
        if (fromEnv != null) {
            return fromEnv;
        }
        Console console = System.console();
        if (console == null) {
            throw new ParameterException(spec.commandLine(),
                    "no password: give --password, set DESKFLEET_PASSWORD, or run in a terminal to be asked");
        }
        char[] typed = console.readPassword("Password for %s: ", user);
        if (typed == null) {
            throw new ParameterException(spec.commandLine(), "no password given");
        }
        return new String(typed);
    }
}
