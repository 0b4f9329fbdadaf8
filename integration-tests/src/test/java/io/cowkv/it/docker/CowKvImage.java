package io.cowkv.it.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.images.builder.ImageFromDockerfile;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CowKV image under test, built once per test JVM from {@code docker/Dockerfile} with the
 * jar Maven just packaged, so the tests always see the current code and Dockerfile.
 *
 * <p>The base image comes from {@code -Dcowkv.docker.baseImage} or the environment variable
 * {@code COWKV_DOCKER_BASE_IMAGE}; by default the local {@code cowkv-test/base} that
 * {@code .ci/docker-setup.sh} makes (debootstrap + jlink), since there is no registry to pull
 * {@code eclipse-temurin:17-jre} from. When that image is absent the tests are skipped
 * (assumption) with a message saying how to make it. The build uses host networking: the
 * engine that docker-setup starts has no bridge network.
 */
final class CowKvImage {
    static final String DEFAULT_BASE = "cowkv-test/base";
    /**
     * This test JVM's own tag: two builds sharing one engine (two worktrees, a developer's run next
     * to CI) must not start each other's image. Layers are shared through the build cache; the tag
     * is removed when the JVM exits.
     */
    static final String NAME = "cowkv-test/cowkv:it-" + ProcessHandle.current().pid() + "-"
            + Long.toHexString(System.nanoTime() & 0xffffff);

    private static String built;

    private CowKvImage() {
    }

    static String baseImage() {
        String p = System.getProperty("cowkv.docker.baseImage");
        if (p == null || p.isBlank()) {
            p = System.getenv("COWKV_DOCKER_BASE_IMAGE");
        }
        return p == null || p.isBlank() ? DEFAULT_BASE : p;
    }

    /** The repository root, found from the server jar's path (server/target/cowkv-server.jar). */
    static Path repoRoot() {
        return jar().getParent().getParent().getParent();
    }

    static Path jar() {
        String jar = System.getProperty("cowkv.server.jar");
        Assumptions.assumeTrue(jar != null && !jar.isBlank(), "cowkv.server.jar is not set (run through Maven)");
        Path p = Path.of(jar).toAbsolutePath().normalize();
        Assumptions.assumeTrue(Files.isRegularFile(p), "server jar not found at " + p);
        return p;
    }

    /** Builds (once) and returns the image name; skips the calling test when the base image is missing. */
    static synchronized String get() {
        if (built != null) {
            return built;
        }
        String base = baseImage();
        DockerClient docker = DockerClientFactory.instance().client();
        if (base.equals(DEFAULT_BASE)) {
            try {
                docker.inspectImageCmd(base).exec();
            } catch (NotFoundException e) {
                Assumptions.abort("base image " + base + " is not in the local Docker engine: run .ci/docker-setup.sh"
                        + " to make it (debootstrap + jlink), or set COWKV_DOCKER_BASE_IMAGE to an image with a Java 17"
                        + " runtime (e.g. eclipse-temurin:17-jre where a registry is reachable)");
            }
        }
        Path root = repoRoot();
        ImageFromDockerfile image = new ImageFromDockerfile(NAME, false)
                .withFileFromPath("server/target/cowkv-server.jar", jar())
                .withFileFromPath("docker/entrypoint.sh", root.resolve("docker/entrypoint.sh"))
                .withFileFromPath("docker/Dockerfile", root.resolve("docker/Dockerfile"))
                .withDockerfilePath("docker/Dockerfile")
                .withBuildArg("BASE_IMAGE", base)
                .withBuildImageCmdModifier(cmd -> cmd.withNetworkMode("host").withPull(false));
        built = image.get();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                docker.removeImageCmd(NAME).withForce(true).exec();
            } catch (RuntimeException e) {
                System.err.println("could not remove the test image " + NAME + ": " + e);
            }
        }, "cowkv-test-image-cleanup"));
        return built;
    }

    /** A free TCP port on 127.0.0.1 (host networking: the container binds it on the host's loopback). */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    /** Whether {@code program} is an executable file on the PATH. */
    static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }
}
