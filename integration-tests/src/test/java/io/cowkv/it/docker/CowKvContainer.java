package io.cowkv.it.docker;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Volume;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One CowKV container from {@link CowKvImage}, on the host's network, its server bound to
 * 127.0.0.1 on a free port (and its metrics endpoint likewise): every byte of test traffic
 * stays on this machine's loopback. Started means "Ready to accept connections tcp" was logged.
 *
 * <p>{@link #dockerStop} is {@code docker stop}: SIGTERM, then the exit code is read back;
 * {@link #stop} (Testcontainers) removes the container. A named volume, when given, is mounted
 * at /data and survives the container.
 */
final class CowKvContainer extends GenericContainer<CowKvContainer> {
    static final Duration STARTUP = Duration.ofSeconds(60);

    private final int port;
    private final int metricsPort;
    private final List<Bind> binds = new ArrayList<>();

    /** Server on a free loopback port, metrics on another, plus {@code extraArgs}. */
    static CowKvContainer started(String volume, String... extraArgs) throws IOException {
        CowKvContainer c = create(volume, extraArgs);
        c.start();
        return c;
    }

    /** As {@link #started} but not started yet. {@code volume}: a named volume for /data, or null. */
    static CowKvContainer create(String volume, String... extraArgs) throws IOException {
        int port = CowKvImage.freePort();
        int metricsPort = CowKvImage.freePort();
        List<String> args = new ArrayList<>(List.of(
                "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--metrics-port", Integer.toString(metricsPort), "--metrics-bind", "127.0.0.1"));
        args.addAll(List.of(extraArgs));
        return new CowKvContainer(volume, args, port, metricsPort);
    }

    /**
     * A container whose command is exactly {@code args} (configuration tests); the caller says
     * on which loopback {@code port} the server will listen.
     */
    static CowKvContainer withExactArgs(int port, String... args) {
        return new CowKvContainer(null, List.of(args), port, -1);
    }

    private CowKvContainer(String volume, List<String> command, int port, int metricsPort) {
        super(CowKvImage.get());
        this.port = port;
        this.metricsPort = metricsPort;
        withNetworkMode("host");
        withCommand(command.toArray(new String[0]));
        waitingFor(Wait.forLogMessage(".*Ready to accept connections tcp.*\\n", 1).withStartupTimeout(STARTUP));
        if (volume != null) {
            binds.add(new Bind(volume, new Volume("/data")));
        }
        withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withBinds(binds));
    }

    /**
     * Mounts a host file read-only (a plain Docker bind, as {@code -v file:path:ro}; Testcontainers'
     * own file binds would first run a helper container from a registry image).
     */
    CowKvContainer withReadOnlyFile(Path hostFile, String containerPath) {
        binds.add(new Bind(hostFile.toAbsolutePath().toString(), new Volume(containerPath), AccessMode.ro));
        return this;
    }

    /** The port the server listens on, on 127.0.0.1. */
    int port() {
        return port;
    }

    /** The metrics port given with --metrics-port (-1 when the command line is the caller's). */
    int metricsPort() {
        return metricsPort;
    }

    /** {@code docker stop -t timeout}: SIGTERM, SIGKILL after the timeout. Returns the exit code. */
    long dockerStop(int timeoutSeconds) {
        getDockerClient().stopContainerCmd(getContainerId()).withTimeout(timeoutSeconds).exec();
        InspectContainerResponse.ContainerState state = getDockerClient().inspectContainerCmd(getContainerId()).exec().getState();
        return state.getExitCodeLong() == null ? -1 : state.getExitCodeLong();
    }

    /** The health status Docker reports ("starting", "healthy", "unhealthy"), or null without a HEALTHCHECK. */
    String health() {
        InspectContainerResponse.ContainerState state = getDockerClient().inspectContainerCmd(getContainerId()).exec().getState();
        return state.getHealth() == null ? null : state.getHealth().getStatus();
    }
}
