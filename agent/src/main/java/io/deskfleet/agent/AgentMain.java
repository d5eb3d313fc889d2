package io.deskfleet.agent;

import io.deskfleet.agent.link.Enrollment;
import io.deskfleet.agent.link.ReplicaChannels;
import io.deskfleet.agent.state.Credential;
import io.deskfleet.agent.state.CredentialStore;
import io.deskfleet.agent.v1.RegisterRequest;
import io.deskfleet.agent.v1.Tag;
import io.grpc.ChannelCredentials;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The agent process. It never gives up on a transient failure (control plane down, overloaded, slow, a proxy's
 * error, a TLS handshake not yet accepted): it retries with capped, jittered backoff. It exits only when stopped or
 * refused for good by the control plane. Exit codes (also in --help and the README):
 * <ul>
 * <li>0 stopped by SIGTERM</li>
 * <li>1 unexpected failure (e.g. unreadable state dir)</li>
 * <li>2 bad arguments (including a first start without the activation options)</li>
 * <li>3 credential refused: the desktop was revoked or is unknown</li>
 * <li>4 activation refused: unknown activation or wrong code</li>
 * <li>5 activation expired</li>
 * <li>6 activation used up: its registration limit is reached</li>
 * <li>7 the activation is for another pool</li>
 * <li>8 the registration's fields were refused (e.g. an invalid tag)</li>
 * <li>9 refused for a reason this agent version does not know</li>
 * </ul>
 */
@Command(name = "deskfleet-agent", mixinStandardHelpOptions = true, versionProvider = AgentMain.Version.class,
        description = "Connects this desktop to a Deskfleet control plane and runs the commands it sends.",
        footer = {"%nThe activation options are needed on the first start only: Register trades them for a desktop "
                + "credential kept in the state dir, and later starts re-attach with that credential.",
                "%nWhile the control plane is down, overloaded or unreachable the agent keeps retrying (registration "
                        + "backoff up to 30 s, the stream up to 5 s); it exits only when refused for good. With "
                        + "several --server addresses each retry goes to the next one.",
                "%nExit codes: 0 stopped (SIGTERM); 1 unexpected failure; 2 bad arguments; 3 credential refused "
                        + "(revoked or unknown desktop); 4 unknown activation or wrong code; 5 activation expired; "
                        + "6 activation used up (registration limit reached); 7 activation for another pool; "
                        + "8 registration fields refused; 9 refused for a reason this version does not know.%n"})
public final class AgentMain implements Callable<Integer> {
    static final int EXIT_FAILURE = 2;

    @Option(names = "--server", required = true, split = ",", paramLabel = "HOST:PORT",
            converter = ServerAddress.Converter.class,
            description = "Control plane gRPC address (plaintext unless a TLS option is given). For replicas give "
                    + "several, comma-separated (cp1:9090,cp2:9090,cp3:9090), or a name that resolves to several "
                    + "addresses: the agent registers and keeps its stream on one, in its own random order, and "
                    + "moves to another when that one fails.")
    List<ServerAddress> servers;

    @CommandLine.Mixin
    TransportOptions transport = new TransportOptions();

    @Option(names = "--project-id", paramLabel = "P", description = "Project of the activation (first start).")
    String projectId;

    @Option(names = "--activation-id", paramLabel = "A", description = "Activation id (first start).")
    String activationId;

    @Option(names = "--activation-code", paramLabel = "C", description = "Activation code (first start).")
    String activationCode;

    @Option(names = "--pool-id", paramLabel = "POOL", description = "Desktop pool to join (first start).")
    String poolId;

    @Option(names = "--name", required = true, paramLabel = "NAME", description = "Computer name of this desktop.")
    String name;

    @Option(names = "--tag", paramLabel = "KEY=VALUE", description = "Tag sent with the registration (repeatable).")
    Map<String, String> tags = new LinkedHashMap<>();

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Where the credential, power state and command journal live. Default: ./agent-state/<name>")
    Path stateDir;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the agent until SIGTERM or a definitive refusal and returns the exit code. */
    public static int run(String[] args) {
        return new CommandLine(new AgentMain()).execute(args);
    }

    @Override
    public Integer call() throws Exception {
        Path dir = stateDir != null ? stateDir : Path.of("agent-state", name);
        Files.createDirectories(dir);
        ChannelCredentials credentials;
        try {
            credentials = transport.credentials();
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return EXIT_FAILURE;
        }
        ReplicaChannels replicas = ReplicaChannels.connect(servers.stream().map(ServerAddress::unresolved).toList(),
                credentials, ThreadLocalRandom.current());
        try {
            Credential credential;
            try {
                credential = Enrollment.credential(new CredentialStore(dir), replicas, activation(), EXIT_FAILURE);
            } catch (Enrollment.EnrollmentException e) {
                spec.commandLine().getErr().println(e.getMessage());
                return e.exitCode();
            }
            Agent agent = Agent.start(dir, credential, replicas, version());
            Thread hook = new Thread(agent::shutdown, "agent-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            int code = agent.awaitExit();
            agent.shutdown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // Already shutting down: the hook is running or ran.
            }
            return code;
        } finally {
            replicas.shutdown(1_000);
        }
    }

    private Optional<RegisterRequest> activation() {
        if (projectId == null || activationId == null || activationCode == null || poolId == null) {
            return Optional.empty();
        }
        RegisterRequest.Builder request = RegisterRequest.newBuilder()
                .setProjectId(projectId)
                .setActivationId(activationId)
                .setActivationCode(activationCode)
                .setPoolId(poolId)
                .setComputerName(name)
                .setAgentVersion(version())
                .setOsType(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")
                        ? "Windows" : "Linux");
        tags.forEach((k, v) -> request.addTags(Tag.newBuilder().setKey(k).setValue(v)));
        return Optional.of(request.build());
    }

    static String version() {
        String version = AgentMain.class.getPackage().getImplementationVersion();
        return version != null ? version : "dev";
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {version()};
        }
    }
}
