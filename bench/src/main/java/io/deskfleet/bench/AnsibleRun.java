package io.deskfleet.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The same job with Ansible, for comparison: `hostname` on N inventory aliases of this machine
 * (ansible_connection=local), serial [gray, rest], forks N, stopping on the first failure of a batch
 * (any_errors_fatal, max_fail_percentage 0). ansible-playbook comes from the Debian package; when it is missing the
 * bench installs it with apt-get (as root) or says how.
 */
final class AnsibleRun {
    static final String INSTALL = "apt-get install -y ansible";

    private final Path playbook;
    private final Path inventory;
    private final int forks;

    private AnsibleRun(Path playbook, Path inventory, int forks) {
        this.playbook = playbook;
        this.inventory = inventory;
        this.forks = forks;
    }

    /** Playbook and inventory written into dir. */
    static AnsibleRun prepare(Path dir, int hosts, int gray) throws IOException {
        Files.createDirectories(dir);
        StringBuilder inventory = new StringBuilder("[desktops]\n");
        for (int i = 1; i <= hosts; i++) {
            inventory.append(String.format("desk-%02d ansible_connection=local ansible_python_interpreter=%s%n", i,
                    python()));
        }
        Path inventoryFile = Files.writeString(dir.resolve("inventory.ini"), inventory);
        Path playbookFile = Files.writeString(dir.resolve("hostname.yml"), """
                - hosts: desktops
                  gather_facts: false
                  serial: [%d, %d]
                  any_errors_fatal: true
                  max_fail_percentage: 0
                  tasks:
                    - command: hostname
                """.formatted(gray, hosts - gray));
        return new AnsibleRun(playbookFile, inventoryFile, hosts);
    }

    private static String python() {
        return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    }

    /**
     * @return null when ansible-playbook is there (installing it first if missing and we are root), else why not
     */
    static String ensureInstalled() throws IOException, InterruptedException {
        if (onPath("ansible-playbook")) {
            return null;
        }
        if (!"root".equals(System.getProperty("user.name")) || !onPath("apt-get")) {
            return "ansible-playbook not found; install it with `sudo " + INSTALL + "`";
        }
        BenchRunner.log("ansible-playbook not found: " + INSTALL);
        ProcessBuilder builder = new ProcessBuilder("apt-get", "install", "-y", "ansible").inheritIO();
        builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
        Process process = builder.start();
        if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != 0 || !onPath("ansible-playbook")) {
            process.destroyForcibly();
            return "`" + INSTALL + "` failed; install Ansible and run again";
        }
        return null;
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    /** Wall-clock seconds of one ansible-playbook run; it must succeed on every host. */
    double run() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ansible-playbook", "-i", inventory.toString(),
                "-f", Integer.toString(forks), playbook.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("ANSIBLE_HOST_KEY_CHECKING", "False");
        builder.environment().put("ANSIBLE_NOCOLOR", "1");
        long started = System.nanoTime();
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = process.waitFor();
        double seconds = (System.nanoTime() - started) / 1e9;
        if (code != 0 || !output.contains("failed=0")) {
            throw new IllegalStateException("ansible-playbook exited " + code + ":\n" + output);
        }
        return seconds;
    }
}
