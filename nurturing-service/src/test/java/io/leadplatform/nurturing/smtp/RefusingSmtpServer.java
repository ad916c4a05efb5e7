package io.leadplatform.nurturing.smtp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * A minimal SMTP server for tests, on 127.0.0.1 and a free port, that answers RCPT by the recipient's local part:
 * {@code hard…} gets {@code 550 5.1.1} (permanent), {@code soft…} gets {@code 451 4.2.0} (transient), anyone else is
 * accepted and the message recorded. GreenMail cannot answer 4xx or 5xx for chosen recipients, so the bounce paths
 * are tested against this one.
 * <p>
 * One server per JVM: a Quarkus test class is loaded by two class loaders (the test profile is read in one, the test
 * runs in the other), so its port and what it saw are kept in system properties, which both can read.
 */
public final class RefusingSmtpServer {

    private static final String PORT = "refusing-smtp.port";
    private static final String ACCEPTED = "refusing-smtp.accepted";
    private static final String REFUSED = "refusing-smtp.refused";

    private final ServerSocket socket;

    private RefusingSmtpServer() throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "refusing-smtp");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The port of this JVM's server, started on first use. */
    public static synchronized int port() {
        String port = System.getProperty(PORT);
        if (port == null) {
            try {
                port = String.valueOf(new RefusingSmtpServer().socket.getLocalPort());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            System.setProperty(PORT, port);
        }
        return Integer.parseInt(port);
    }

    /** Recipients whose message was taken (250 after DATA). */
    public static List<String> accepted() {
        return read(ACCEPTED);
    }

    /** Recipients refused at RCPT, as "code address". */
    public static List<String> refused() {
        return read(REFUSED);
    }

    // system properties must stay String to String (other libraries copy them), so the records are lines of one String
    private static List<String> read(String key) {
        String lines = System.getProperty(key, "");
        return lines.isEmpty() ? List.of() : List.of(lines.split("\n"));
    }

    private static synchronized void record(String key, String line) {
        System.setProperty(key, System.getProperty(key, "") + (System.getProperty(key, "").isEmpty() ? "" : "\n") + line);
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                Thread t = new Thread(() -> session(client), "refusing-smtp-session");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void session(Socket client) {
        try (client; BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
             OutputStream out = client.getOutputStream()) {
            reply(out, "220 refusing-smtp ready");
            String recipient = null;
            String line;
            while ((line = in.readLine()) != null) {
                String command = line.length() >= 4 ? line.substring(0, 4).toUpperCase(Locale.ROOT) : line.toUpperCase(Locale.ROOT);
                switch (command) {
                    case "EHLO" -> reply(out, "250-refusing-smtp\r\n250 8BITMIME");
                    case "HELO" -> reply(out, "250 refusing-smtp");
                    case "MAIL" -> {
                        recipient = null;
                        reply(out, "250 2.1.0 ok");
                    }
                    case "RCPT" -> {
                        String address = line.substring(line.indexOf('<') + 1, line.lastIndexOf('>'));
                        if (address.startsWith("hard")) {
                            record(REFUSED, "550 " + address);
                            reply(out, "550 5.1.1 <" + address + ">: mailbox does not exist");
                        } else if (address.startsWith("soft")) {
                            record(REFUSED, "451 " + address);
                            reply(out, "451 4.2.0 <" + address + ">: mailbox busy, try later");
                        } else {
                            recipient = address;
                            reply(out, "250 2.1.5 ok");
                        }
                    }
                    case "DATA" -> {
                        if (recipient == null) {
                            reply(out, "554 5.5.1 no valid recipients");
                            break;
                        }
                        reply(out, "354 end with <CRLF>.<CRLF>");
                        while ((line = in.readLine()) != null && !line.equals(".")) {
                            // the message body is not kept: only who received one
                        }
                        record(ACCEPTED, recipient);
                        reply(out, "250 2.0.0 queued");
                    }
                    case "RSET" -> {
                        recipient = null;
                        reply(out, "250 2.0.0 ok");
                    }
                    case "NOOP" -> reply(out, "250 2.0.0 ok");
                    case "QUIT" -> {
                        reply(out, "221 2.0.0 bye");
                        return;
                    }
                    default -> reply(out, "502 5.5.2 command not implemented");
                }
            }
        } catch (IOException | RuntimeException e) {
            // the client went away: the session ends
        }
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }
}
