package dev.modelgate.gateway.telemetry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP proxy in front of the test ClickHouse that misbehaves on demand, the way networks and proxies
 * do: it can refuse every connection ({@link #down}), or hold the next request that contains a marker
 * for a while and then deliver it anyway — even after the client gave up and closed its side — so that
 * ClickHouse executes it long after the client's timeout ({@link #holdNext}).
 */
public final class FaultyProxy implements AutoCloseable {

    private record Hold(Duration duration, List<String> markers) {}

    private final int targetPort;
    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicReference<Hold> hold = new AtomicReference<>();
    private final AtomicInteger delivered = new AtomicInteger();
    private volatile boolean down;

    public FaultyProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "faulty-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** Down: open connections are cut and new ones closed at once. Up: forwards again. */
    public void down(boolean value) {
        down = value;
        if (value) {
            sockets.forEach(FaultyProxy::closeQuietly);
            sockets.clear();
        }
    }

    /** The next request whose bytes contain every one of {@code markers} reaches ClickHouse only after {@code duration}. */
    public void holdNext(Duration duration, String... markers) {
        hold.set(new Hold(duration, List.of(markers)));
    }

    /** How many held requests were delivered to ClickHouse so far. */
    public int deliveredLate() {
        return delivered.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (down) {
                    client.close();
                    continue;
                }
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(client);
                sockets.add(upstream);
                daemon(() -> pipeRequests(client, upstream));
                daemon(() -> pipeResponses(upstream, client));
            } catch (IOException e) {
                // closed, or ClickHouse refused: the client sees its connection end
            }
        }
    }

    private void pipeRequests(Socket client, Socket upstream) {
        byte[] buffer = new byte[64 * 1024];
        try {
            InputStream in = client.getInputStream();
            OutputStream out = upstream.getOutputStream();
            int n;
            while ((n = in.read(buffer)) > 0) {
                Hold armed = hold.get();
                if (armed != null && containsAll(buffer, n, armed.markers()) && hold.compareAndSet(armed, null)) {
                    holdThenDeliver(client, in, out, buffer, n, armed.duration());
                    delivered.incrementAndGet();
                } else {
                    out.write(buffer, 0, n);
                }
            }
        } catch (IOException e) {
            // one side went away
        }
    }

    /** Keeps reading what the client sends until the hold is over, then sends all of it at once. */
    private static void holdThenDeliver(Socket client, InputStream in, OutputStream out, byte[] first, int length,
                                        Duration duration) throws IOException {
        ByteArrayOutputStream held = new ByteArrayOutputStream();
        held.write(first, 0, length);
        long deadline = System.nanoTime() + duration.toNanos();
        client.setSoTimeout(50);
        byte[] buffer = new byte[64 * 1024];
        boolean clientOpen = true;
        while (System.nanoTime() < deadline) {
            if (!clientOpen) {
                sleep(20);
                continue;
            }
            try {
                int n = in.read(buffer);
                if (n < 0) {
                    clientOpen = false; // the client gave up; its request is delivered all the same
                } else {
                    held.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException e) {
                // nothing new; keep holding
            } catch (IOException e) {
                clientOpen = false;
            }
        }
        client.setSoTimeout(0);
        out.write(held.toByteArray());
        out.flush();
    }

    private static void pipeResponses(Socket upstream, Socket client) {
        byte[] buffer = new byte[64 * 1024];
        boolean clientGone = false;
        try {
            InputStream in = upstream.getInputStream();
            int n;
            while ((n = in.read(buffer)) > 0) {
                if (!clientGone) {
                    try {
                        client.getOutputStream().write(buffer, 0, n);
                    } catch (IOException e) {
                        clientGone = true; // keep reading so that ClickHouse finishes the request
                    }
                }
            }
        } catch (IOException e) {
            // upstream closed
        } finally {
            closeQuietly(client);
            closeQuietly(upstream);
        }
    }

    /** In the raw bytes or, for a query in the URL, once decoded. */
    private static boolean containsAll(byte[] buffer, int length, List<String> markers) {
        String raw = new String(buffer, 0, length, StandardCharsets.ISO_8859_1);
        String decoded;
        try {
            decoded = URLDecoder.decode(raw, StandardCharsets.ISO_8859_1);
        } catch (IllegalArgumentException notUrlEncoded) {
            decoded = raw;
        }
        for (String marker : markers) {
            if (!raw.contains(marker) && !decoded.contains(marker)) {
                return false;
            }
        }
        return true;
    }

    private static void daemon(Runnable task) {
        Thread thread = new Thread(task, "faulty-proxy-pipe");
        thread.setDaemon(true);
        thread.start();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        sockets.forEach(FaultyProxy::closeQuietly);
    }
}
