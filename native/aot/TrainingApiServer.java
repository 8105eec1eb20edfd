import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The API server of the JVM image's training run (native/aot/train.sh). No kube-apiserver is
 * reachable while an image builds; without one, the webhook's Kubernetes client (its list, its
 * watch, its JSON reader, its TLS client) would be missing from the AOT cache and load as the
 * deployed webhook starts, with the list waiting for them. This server answers what the webhook
 * asks kube-apiserver at startup, in kube-apiserver's JSON and over TLS, as a deployed webhook
 * meets it:
 * <ul>
 *   <li>the ServiceAccount list: 400 ServiceAccounts shaped as kubectl and controllers leave them
 *       (labels, the last-applied annotation, managed fields), among them the one the training's
 *       review names, with its role. It is asked for twice: by the early list
 *       ({@code ServiceAccountPrefetch}, the JDK's HTTPS client) while the webhook boots, and by
 *       the informer once it is up;
 *   <li>the watch that follows, over a WebSocket as fabric8's client asks for it against
 *       kube-apiserver, with an ADDED, a MODIFIED and a BOOKMARK event, then held open as
 *       kube-apiserver holds it. A watch over plain HTTP (fabric8's fallback when the WebSocket
 *       fails) gets a 400: training that path would cache what deployed webhooks do not run, so
 *       the training fails instead (its informer never syncs);
 *   <li>any single object (the webhook's warm-up GET): 404 with a {@code Status}.
 * </ul>
 * It speaks just enough HTTP/1.1 for that (fabric8's Vert.x client does not ask for HTTP/2), on
 * java.base alone: the image's JRE runs it. Every request is logged, so a training whose webhook
 * asked something else shows it.
 *
 * <p>Usage: {@code java TrainingApiServer PORT CERT_FILE KEY_FILE NAMESPACE/NAME ROLE_ARN READY_FILE}.
 * The key is PKCS#8 EC ("PRIVATE KEY"), as the webhook's self-signed certificate writes it. The
 * server runs until it is killed; READY_FILE is written once it listens.
 */
public final class TrainingApiServer {

    private static final int SERVICE_ACCOUNTS = 400;
    private static final int LIST_VERSION = 1000;

    private final String namespace;
    private final String name;
    private final String roleArn;

    private TrainingApiServer(String serviceAccount, String roleArn) {
        int slash = serviceAccount.indexOf('/');
        this.namespace = serviceAccount.substring(0, slash);
        this.name = serviceAccount.substring(slash + 1);
        this.roleArn = roleArn;
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        TrainingApiServer api = new TrainingApiServer(args[3], args[4]);
        ServerSocket server = tls(Path.of(args[1]), Path.of(args[2])).getServerSocketFactory()
                .createServerSocket(port, 16, InetAddress.getLoopbackAddress());
        Files.writeString(Path.of(args[5]), "listening on " + port + "\n");
        System.out.println("api-server: listening on https://localhost:" + port);
        while (true) {
            Socket connection = server.accept();
            Thread thread = new Thread(() -> {
                try (connection) {
                    api.serve(connection);
                } catch (IOException | RuntimeException e) {
                    System.out.println("api-server: connection closed: " + e);
                }
            });
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** HTTP/1.1 requests on one connection, one after another, until the client closes it. */
    private void serve(Socket connection) throws IOException {
        InputStream in = new BufferedInputStream(connection.getInputStream());
        OutputStream out = connection.getOutputStream();
        for (String line = line(in); line != null && !line.isEmpty(); line = line(in)) {
            Map<String, String> headers = new HashMap<>();
            for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
                int colon = h.indexOf(':');
                headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
            }
            System.out.println("api-server: " + line);
            String[] request = line.split(" ");
            String target = request[1];
            String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
            boolean watch = target.contains("watch=true");
            if (!request[0].equals("GET")) {
                send(out, 405, status(405, "MethodNotAllowed", "the training API server only reads"));
            } else if (path.equals("/api/v1/serviceaccounts") && watch && "websocket".equalsIgnoreCase(headers.get("upgrade"))) {
                webSocketWatch(in, out, headers.get("sec-websocket-key"));
                return;
            } else if (watch) {
                send(out, 400, status(400, "BadRequest", "the training API server watches over a WebSocket only"));
            } else if (path.equals("/api/v1/serviceaccounts")) {
                send(out, 200, list());
            } else {
                send(out, 404, status(404, "NotFound", path + " not found"));
            }
        }
    }

    /** One CRLF-terminated line, or null at the end of the stream. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    private static void send(OutputStream out, int code, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 " + code + " " + (code == 200 ? "OK" : "Error") + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(bytes);
        out.flush();
    }

    /**
     * The watch as fabric8's client first asks for it, over a WebSocket (RFC 6455): one text frame
     * per event, then open until the client closes it.
     */
    private void webSocketWatch(InputStream in, OutputStream out, String key) throws IOException {
        String accept;
        try {
            accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                    .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.ISO_8859_1)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        for (String event : events()) {
            byte[] payload = event.getBytes(StandardCharsets.UTF_8);
            ByteArrayOutputStream frame = new ByteArrayOutputStream();
            frame.write(0x81); // FIN, text
            if (payload.length < 126) {
                frame.write(payload.length);
            } else if (payload.length <= 0xffff) {
                frame.write(126);
                frame.write(payload.length >> 8);
                frame.write(payload.length & 0xff);
            } else {
                frame.write(127);
                for (int shift = 56; shift >= 0; shift -= 8) {
                    frame.write((int) ((long) payload.length >> shift) & 0xff);
                }
            }
            frame.write(payload);
            out.write(frame.toByteArray());
        }
        out.flush();
        // The client's frames, masked (RFC 6455 5.2), until its close, which is answered.
        while (true) {
            int first = in.read();
            int second = in.read();
            if (first < 0 || second < 0) {
                return;
            }
            long length = second & 0x7f;
            if (length >= 126) {
                int bytes = length == 126 ? 2 : 8;
                length = 0;
                for (int i = 0; i < bytes; i++) {
                    length = length << 8 | in.read();
                }
            }
            in.skipNBytes(((second & 0x80) != 0 ? 4 : 0) + length);
            if ((first & 0x0f) == 0x8) {
                out.write(new byte[] {(byte) 0x88, 0});
                out.flush();
                return;
            }
        }
    }

    private String[] events() {
        int next = LIST_VERSION;
        return new String[] {
            event("ADDED", serviceAccount(namespace, "added-after-list", roleArn, ++next)),
            event("MODIFIED", serviceAccount(namespace, name, roleArn, ++next)),
            "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"ServiceAccount\",\"apiVersion\":\"v1\","
                    + "\"metadata\":{\"resourceVersion\":\"" + (++next) + "\"}}}",
        };
    }

    private static String event(String type, String object) {
        return "{\"type\":\"" + type + "\",\"object\":" + object + "}";
    }

    private String list() {
        StringBuilder items = new StringBuilder();
        for (int i = 0; i < SERVICE_ACCOUNTS; i++) {
            String role = i % 4 == 0 ? "arn:aws:iam::111122223333:role/app-" + i : null;
            items.append(serviceAccount("team-" + (i % 20), "app-" + i, role, 100 + i)).append(',');
        }
        items.append(serviceAccount(namespace, name, roleArn, 900));
        return "{\"kind\":\"ServiceAccountList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\""
                + LIST_VERSION + "\"},\"items\":[" + items + "]}";
    }

    /** A ServiceAccount as {@code kubectl apply} leaves it; {@code roleArn} may be null. */
    private static String serviceAccount(String namespace, String name, String roleArn, int version) {
        String role = roleArn == null ? "" : "\"eks.amazonaws.com/role-arn\":\"" + roleArn + "\","
                + "\"eks.amazonaws.com/sts-regional-endpoints\":\"true\",";
        String applied = "{\\\"apiVersion\\\":\\\"v1\\\",\\\"kind\\\":\\\"ServiceAccount\\\",\\\"metadata\\\":"
                + "{\\\"name\\\":\\\"" + name + "\\\",\\\"namespace\\\":\\\"" + namespace + "\\\"}}\\n";
        return "{\"kind\":\"ServiceAccount\",\"apiVersion\":\"v1\",\"metadata\":{"
                + "\"name\":\"" + name + "\",\"namespace\":\"" + namespace + "\","
                + "\"uid\":\"" + uid(namespace + "/" + name) + "\",\"resourceVersion\":\"" + version + "\","
                + "\"creationTimestamp\":\"2026-12-01T10:00:00Z\","
                + "\"labels\":{\"app.kubernetes.io/name\":\"" + name + "\",\"app.kubernetes.io/managed-by\":\"kubectl\"},"
                + "\"annotations\":{" + role
                + "\"kubectl.kubernetes.io/last-applied-configuration\":\"" + applied + "\"},"
                + "\"managedFields\":[{\"manager\":\"kubectl-client-side-apply\",\"operation\":\"Update\","
                + "\"apiVersion\":\"v1\",\"time\":\"2026-12-01T10:00:00Z\",\"fieldsType\":\"FieldsV1\","
                + "\"fieldsV1\":{\"f:metadata\":{\"f:annotations\":{\".\":{},"
                + "\"f:kubectl.kubernetes.io/last-applied-configuration\":{}},\"f:labels\":{\".\":{}}}}}]}}";
    }

    private static String uid(String key) {
        String hex = String.format("%032x", new java.math.BigInteger(1, key.getBytes(StandardCharsets.UTF_8))
                .mod(java.math.BigInteger.TWO.pow(128)));
        return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                + hex.substring(16, 20) + "-" + hex.substring(20);
    }

    private static String status(int code, String reason, String message) {
        return "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                + "\"message\":\"" + message + "\",\"reason\":\"" + reason + "\",\"code\":" + code + "}";
    }

    private static SSLContext tls(Path certFile, Path keyFile) throws Exception {
        Certificate cert = CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(certFile)));
        String pem = Files.readString(keyFile);
        if (!pem.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new IllegalArgumentException(keyFile + ": expected a PKCS#8 \"PRIVATE KEY\"");
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", key, new char[0], new Certificate[] {cert});
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, new char[0]);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }
}
