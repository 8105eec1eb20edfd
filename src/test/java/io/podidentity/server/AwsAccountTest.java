package io.podidentity.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code --compose-role-arn}'s account, from the flags or from an IMDSv2 server as EC2 runs one. */
class AwsAccountTest {

    private static final String TOKEN = "AQAEAFake-session-token==";

    private final List<String> requests = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private String document = """
            {"accountId": "111122223333", "region": "cn-north-1", "instanceId": "i-0123456789abcdef0"}""";
    private int documentStatus = 200;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** IMDSv2: PUT for a token (TTL header required), then GET with it; anything else is 401/405. */
    private String metadataServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/latest/api/token", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI()
                    + " ttl=" + exchange.getRequestHeaders().getFirst("X-aws-ec2-metadata-token-ttl-seconds"));
            boolean ok = exchange.getRequestMethod().equals("PUT")
                    && exchange.getRequestHeaders().getFirst("X-aws-ec2-metadata-token-ttl-seconds") != null;
            answer(exchange, ok ? 200 : 405, ok ? TOKEN : "");
        });
        server.createContext("/latest/dynamic/instance-identity/document", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            boolean authorized = TOKEN.equals(exchange.getRequestHeaders().getFirst("X-aws-ec2-metadata-token"));
            answer(exchange, authorized ? documentStatus : 401, authorized ? document : "");
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    @Test
    void flagsNeedNoMetadata() {
        assertEquals(new AwsAccount("111122223333", "aws-us-gov"),
                AwsAccount.resolve("111122223333", "us-gov-west-1", "", "http://127.0.0.1:1"));
        assertEquals(new AwsAccount("111122223333", "aws-cn"),
                AwsAccount.resolve("111122223333", "", "aws-cn", "http://127.0.0.1:1"));
    }

    @Test
    void accountAndRegionComeFromTheInstanceIdentityDocument() throws IOException {
        String url = metadataServer();

        assertEquals(new AwsAccount("111122223333", "aws-cn"), AwsAccount.resolve("", "", "", url));
        assertEquals(List.of("PUT /latest/api/token ttl=60", "GET /latest/dynamic/instance-identity/document"), requests);
        // A region given wins over the instance's.
        assertEquals(new AwsAccount("111122223333", "aws"), AwsAccount.resolve("", "eu-west-1", "", url));
    }

    @Test
    void aMetadataErrorIsOneLineNamingTheFlag() throws IOException {
        String url = metadataServer();
        documentStatus = 404;

        assertMessage("--compose-role-arn needs --aws-account-id here: EC2 instance metadata is not reachable "
                + "(GET /latest/dynamic/instance-identity/document: HTTP 404)", () -> AwsAccount.resolve("", "", "", url));
    }

    @Test
    void aDocumentThatIsNotJsonIsOneLine() throws IOException {
        String url = metadataServer();
        document = "{\"accountId\": \n 1111";

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AwsAccount.resolve("", "", "", url));
        assertTrue(e.getMessage().startsWith("--compose-role-arn needs --aws-account-id here: EC2 instance metadata"),
                e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void anAccountThatIsNotTwelveDigitsIsRefused() throws IOException {
        String url = metadataServer();
        document = "{\"accountId\": \"12345\", \"region\": \"us-east-1\"}";

        assertMessage("--aws-account-id: \"12345\" is not a 12-digit AWS account id", () -> AwsAccount.resolve("", "", "", url));
    }

    @Test
    void noMetadataServiceIsOneLine() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AwsAccount.resolve("", "", "", "http://127.0.0.1:" + closed));
        assertTrue(e.getMessage().startsWith("--compose-role-arn needs --aws-account-id here: EC2 instance metadata is "
                + "not reachable ("), e.getMessage());
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, call).getMessage());
    }
}
