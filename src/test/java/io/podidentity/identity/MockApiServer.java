package io.podidentity.identity;

import static io.podidentity.identity.TestAnnotations.PREFIX;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.ByteString;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import io.podidentity.testing.Waiting;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * The fabric8 mock API server in CRUD mode, with three additions the tests need: every request is
 * recorded with the time it arrived; list requests honour {@code limit} and {@code continue} (the
 * CRUD mock ignores both and answers every list in one page); and open watches are known, because
 * the mock ignores a watch's {@code resourceVersion}: a change made after an informer's list but
 * before its watch is open is never delivered, where a real API server would replay it.
 */
final class MockApiServer implements AutoCloseable {

    /** One request as the server saw it; {@code nanos} is {@link System#nanoTime()} on arrival. */
    record Request(String method, String path, long nanos, int items) {

        String query(String name) {
            return queryParameters(path).get(name);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<String> openWatches = new CopyOnWriteArrayList<>();
    private final KubernetesMockServer server;
    private final KubernetesClient client;
    private volatile Duration objectGetDelay = Duration.ZERO;

    MockApiServer() {
        server = new KubernetesMockServer(
                new Context(), new MockWebServer(), new HashMap<>(), new RecordingPagingDispatcher(), false);
        server.init();
        // As the webhook builds its client: ServiceAccounts are read reduced (ServiceAccountReader).
        client = server.createClient(builder -> builder.withKubernetesSerialization(
                ServiceAccountReader.serialization(PREFIX)));
    }

    /** A client for the test itself and for informers, reading ServiceAccounts as the webhook does. */
    KubernetesClient client() {
        return client;
    }

    /** Creates a ServiceAccount through the API, as {@code kubectl create} would; {@code annotations} may be null. */
    void createServiceAccount(String namespace, String name, Map<String, String> annotations) {
        client.serviceAccounts().resource(new ServiceAccountBuilder()
                        .withNewMetadata()
                        .withNamespace(namespace)
                        .withName(name)
                        .withAnnotations(annotations)
                        .endMetadata()
                        .build())
                .create();
    }

    /** From now on, GETs of single objects are answered only after {@code delay}. */
    void delayObjectGets(Duration delay) {
        objectGetDelay = delay;
    }

    /** Requests received so far whose method and path match. */
    List<Request> requests(String method, Predicate<String> path) {
        return requests.stream().filter(r -> r.method().equals(method) && path.test(r.path())).toList();
    }

    /** GETs of exactly this object (not lists, not watches). */
    List<Request> getsOf(String path) {
        return requests("GET", p -> p.equals(path));
    }

    /** Waits until {@code count} watches whose path matches are open, i.e. deliver every later change. */
    void awaitOpenWatches(int count, Predicate<String> path) {
        Waiting.until(count + " open watches (open at the start: " + openWatches + ")",
                () -> openWatches.stream().filter(path).count() >= count);
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }

    static Map<String, String> queryParameters(String path) {
        Map<String, String> parameters = new HashMap<>();
        int question = path.indexOf('?');
        if (question < 0) {
            return parameters;
        }
        for (String pair : path.substring(question + 1).split("&")) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            parameters.put(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return parameters;
    }

    private final class RecordingPagingDispatcher extends KubernetesCrudDispatcher {

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            long arrived = System.nanoTime();
            MockResponse response = super.dispatch(request);
            Map<String, String> query = queryParameters(request.getPath());
            int items = -1;
            boolean answered = "GET".equals(request.getMethod()) && !"true".equals(query.get("watch")) && response.code() == 200;
            // Every ServiceAccount of every namespace: a list, whatever its query.
            boolean serviceAccountList = answered && request.getPath().startsWith("/api/v1/serviceaccounts");
            if (serviceAccountList || (answered && query.containsKey("limit"))) {
                ObjectNode body = (ObjectNode) readTree(response.getBody().readUtf8());
                if (serviceAccountList) {
                    // The CRUD mock says "List"; kube-apiserver names the list's kind.
                    body.put("kind", "ServiceAccountList");
                }
                if (query.containsKey("limit")) {
                    items = page(body, Integer.parseInt(query.get("limit")), Integer.parseInt(query.getOrDefault("continue", "0")));
                }
                response.setBody(body.toString());
            }
            if ("GET".equals(request.getMethod()) && !request.getPath().contains("?") && !objectGetDelay.isZero()) {
                response.setBodyDelay(objectGetDelay);
            }
            if (response.getWebSocketListener() != null) {
                response.withWebSocketUpgrade(new OpenRecorder(request.getPath(), response.getWebSocketListener()));
            }
            requests.add(new Request(request.getMethod(), request.getPath(), arrived, items));
            return response;
        }

        /**
         * Cuts the full list down to {@code limit} items from {@code offset}, in a stable order, and
         * sets {@code metadata.continue} to the next offset when items remain.
         */
        private int page(ObjectNode list, int limit, int offset) {
            List<JsonNode> all = new ArrayList<>();
            list.path("items").forEach(all::add);
            all.sort(Comparator.comparing(item -> item.at("/metadata/namespace").asText() + "/" + item.at("/metadata/name").asText()));
            ArrayNode page = list.putArray("items");
            all.subList(Math.min(offset, all.size()), Math.min(offset + limit, all.size())).forEach(page::add);
            ObjectNode metadata = list.has("metadata") ? (ObjectNode) list.get("metadata") : list.putObject("metadata");
            if (offset + limit < all.size()) {
                metadata.put("continue", String.valueOf(offset + limit));
            } else {
                metadata.remove("continue");
            }
            return page.size();
        }

        private JsonNode readTree(String body) {
            try {
                return JSON.readTree(body);
            } catch (java.io.IOException e) {
                throw new IllegalStateException("the CRUD mock answered a list with invalid JSON: " + body, e);
            }
        }
    }

    /** Passes everything on to the mock's own listener and notes when the watch is open. */
    private final class OpenRecorder extends WebSocketListener {

        private final String path;
        private final WebSocketListener delegate;

        OpenRecorder(String path, WebSocketListener delegate) {
            this.path = path;
            this.delegate = delegate;
        }

        @Override
        public void onBeforeAccept(WebSocket webSocket, Response response) {
            delegate.onBeforeAccept(webSocket, response);
        }

        @Override
        public void onOpen(WebSocket webSocket, Response response) {
            delegate.onOpen(webSocket, response);
            openWatches.add(path);
        }

        @Override
        public void onMessage(WebSocket webSocket, String text) {
            delegate.onMessage(webSocket, text);
        }

        @Override
        public void onMessage(WebSocket webSocket, ByteString bytes) {
            delegate.onMessage(webSocket, bytes);
        }

        @Override
        public void onMessage(WebSocket webSocket, byte[] bytes) {
            delegate.onMessage(webSocket, bytes);
        }

        @Override
        public void onClosing(WebSocket webSocket, int code, String reason) {
            openWatches.remove(path);
            delegate.onClosing(webSocket, code, reason);
        }

        @Override
        public void onClosed(WebSocket webSocket, int code, String reason) {
            openWatches.remove(path);
            delegate.onClosed(webSocket, code, reason);
        }

        @Override
        public void onFailure(WebSocket webSocket, Throwable t, Response response) {
            openWatches.remove(path);
            delegate.onFailure(webSocket, t, response);
        }
    }
}
