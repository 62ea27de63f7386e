package dev.modelgate.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * An HTTP/1.1 client that sends bytes exactly as given, so that a test can send what no well-behaved
 * client would (malformed request lines, forbidden header characters, lying lengths), and reads the
 * first final answer, if any, until the server closes the connection.
 */
final class RawHttp {

    /** What came back: {@code status} 0 when the connection closed without an answer. */
    record Answer(int status, Map<String, String> headers, String body) {

        String header(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
        }
    }

    private final int port;
    private final Duration timeout;

    RawHttp(int port, Duration timeout) {
        this.port = port;
        this.timeout = timeout;
    }

    /** One connection, one request; the request should ask the server to close (or be one it closes after). */
    Answer exchange(byte[] request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(Math.toIntExact(timeout.toMillis()));
            try {
                socket.getOutputStream().write(request);
            } catch (IOException closedWhileSending) {
                // the server may answer and close before a large request is sent: read what it said
            }
            return parse(readUntilClosed(socket.getInputStream()));
        }
    }

    private byte[] readUntilClosed(InputStream in) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[16 * 1024];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                received.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException stillOpen) {
            throw new IOException("connection still open " + timeout + " after the request; received: "
                    + received.toString(StandardCharsets.UTF_8), stillOpen);
        } catch (IOException reset) {
            // a reset after the answer (a body the server did not read) leaves the answer intact
        }
        return received.toByteArray();
    }

    /** The first final answer: interim 1xx answers (100 Continue) are skipped. */
    private static Answer parse(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int offset = 0;
        while (true) {
            int end = text.indexOf("\r\n\r\n", offset);
            if (!text.startsWith("HTTP/1.", offset) || end < 0) {
                return new Answer(0, Map.of(), text.substring(offset));
            }
            String[] lines = text.substring(offset, end).split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            Map<String, String> headers = new TreeMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
            if (status >= 200) {
                int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
                int bodyEnd = Math.min(text.length(), end + 4 + length);
                String body = new String(bytes, end + 4, bodyEnd - end - 4, StandardCharsets.UTF_8);
                return new Answer(status, headers, body);
            }
            offset = end + 4;
        }
    }
}
