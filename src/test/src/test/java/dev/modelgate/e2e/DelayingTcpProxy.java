package dev.modelgate.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP proxy on 127.0.0.1 in front of ClickHouse's HTTP port that can be armed to hold back the next
 * request whose bytes contain a marker (e.g. an {@code INSERT} into {@code predictions}) for a while,
 * then forward it anyway, even when the client has given up and closed its side meanwhile. That is a
 * real network's worst case for an insert with a timeout: the client sees a failure, yet the server
 * executes the insert later. Everything else passes through untouched.
 */
final class DelayingTcpProxy implements AutoCloseable {

    /** End of a client stream in the forwarding queue. */
    private static final byte[] EOF = new byte[0];
    /** After the client left, the upstream connection stays open this long so the server can finish. */
    private static final long LINGER_MILLIS = 5_000;

    private final ServerSocket listener;
    private final InetSocketAddress upstream;
    private final AtomicReference<Hold> armed = new AtomicReference<>();
    private final AtomicInteger held = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private record Hold(List<String> markers, Duration delay) {}

    DelayingTcpProxy(int upstreamPort) throws IOException {
        this.upstream = new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort);
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon("proxy-accept", this::acceptLoop);
    }

    String url() {
        return "http://127.0.0.1:" + listener.getLocalPort();
    }

    /** The next request containing every one of {@code markers} waits {@code delay} before it is forwarded. */
    void holdNext(Duration delay, String... markers) {
        armed.set(new Hold(List.of(markers), delay));
    }

    /** Requests held back so far. */
    int held() {
        return held.get();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket();
                server.connect(upstream, 2_000);
                sockets.add(client);
                sockets.add(server);
                BlockingQueue<byte[]> toServer = new LinkedBlockingQueue<>();
                daemon("proxy-read-client", () -> readClient(client, toServer));
                daemon("proxy-write-server", () -> writeServer(toServer, client, server));
                daemon("proxy-server-to-client", () -> copyToClient(server, client));
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("proxy: " + e);
                }
            }
        }
    }

    /** Reads everything the client sends, at once, so nothing is lost if it closes while a request is held. */
    private static void readClient(Socket client, BlockingQueue<byte[]> toServer) {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = client.getInputStream()) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                toServer.add(Arrays.copyOf(buffer, n));
            }
        } catch (IOException clientGone) {
            // whatever arrived before is forwarded
        } finally {
            toServer.add(EOF);
        }
    }

    private void writeServer(BlockingQueue<byte[]> toServer, Socket client, Socket server) {
        try (OutputStream out = server.getOutputStream()) {
            while (true) {
                byte[] chunk = toServer.poll(60, TimeUnit.SECONDS);
                if (chunk == null || chunk == EOF) {
                    break;
                }
                holdIfArmed(chunk);
                out.write(chunk);
                out.flush();
            }
            // the client is gone (or idle for a minute); let the server finish what it received
            Thread.sleep(LINGER_MILLIS);
        } catch (IOException | InterruptedException serverGone) {
            // nothing more to forward
        } finally {
            closeQuietly(server);
            closeQuietly(client);
        }
    }

    private void holdIfArmed(byte[] chunk) throws InterruptedException {
        Hold hold = armed.get();
        if (hold == null) {
            return;
        }
        String text = new String(chunk, StandardCharsets.ISO_8859_1);
        if (hold.markers().stream().allMatch(text::contains) && armed.compareAndSet(hold, null)) {
            held.incrementAndGet();
            Thread.sleep(hold.delay().toMillis());
        }
    }

    /** Copies the server's answers back; once the client is gone they are read and dropped. */
    private static void copyToClient(Socket server, Socket client) {
        byte[] buffer = new byte[64 * 1024];
        boolean clientOpen = true;
        try (InputStream in = server.getInputStream()) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                if (clientOpen) {
                    try {
                        client.getOutputStream().write(buffer, 0, n);
                    } catch (IOException clientGone) {
                        clientOpen = false;
                    }
                }
            }
        } catch (IOException serverGone) {
            // the connection is over
        } finally {
            closeQuietly(client);
        }
    }

    private static void daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
        sockets.forEach(DelayingTcpProxy::closeQuietly);
    }
}
