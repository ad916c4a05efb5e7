package io.leadplatform.testsupport;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real Kafka outage for fault tests: stops the broker that dev/stack.sh started for this checkout
 * (by its recorded PID) and starts it again with dev/stack.sh. Skips the test when the broker was
 * not started from this checkout (it is not ours to stop).
 */
public final class KafkaOutage {

    private KafkaOutage() {
    }

    public static void stopBroker() throws IOException, InterruptedException {
        Path pidFile = repoRoot().resolve(".dev/pids/kafka.pid");
        Assumptions.assumeTrue(Files.exists(pidFile), "Kafka was not started by dev/stack.sh of this checkout");
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        ProcessHandle broker = ProcessHandle.of(pid).orElse(null);
        Assumptions.assumeTrue(broker != null && broker.isAlive(), "no live Kafka process " + pid);
        broker.destroy();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while ((broker.isAlive() || portOpen()) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        if (broker.isAlive()) {
            broker.destroyForcibly();
        }
    }

    public static void startBroker() throws IOException, InterruptedException {
        Process up = new ProcessBuilder(repoRoot().resolve("dev/stack.sh").toString(), "up", "--infra")
                .directory(repoRoot().toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (up.waitFor() != 0) {
            throw new IllegalStateException("dev/stack.sh up --infra failed: see .dev/logs");
        }
    }

    public static boolean portOpen() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", 9092), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("dev/stack.sh"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no dev/stack.sh above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
