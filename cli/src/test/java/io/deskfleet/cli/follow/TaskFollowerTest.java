package io.deskfleet.cli.follow;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.deskfleet.api.execution.TaskStatus;
import io.deskfleet.cli.Session;
import io.deskfleet.cli.http.ApiClient;
import io.deskfleet.cli.http.ApiError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The follower against an in-process HTTP server that plays scripted event streams. */
class TaskFollowerTest {
    static final String TASK = "event: task\ndata: {\"id\":\"t1\",\"status\":\"RUNNING\",\"success_num\":0,"
            + "\"failed_num\":0,\"skip_num\":0}\n\n";
    static final String GRAY_RUNNING = record("r1", "d1", 1, "RUNNING");
    static final String GRAY_DONE = record("r1", "d1", 1, "SUCCESS");
    static final String REST_DONE = record("r2", "d2", 2, "FAILED");
    static final String END = "event: end\ndata: {\"status\":\"FAILED\"}\n\n";

    HttpServer server;
    final List<String> tokens = new CopyOnWriteArrayList<>();
    final AtomicInteger connections = new AtomicInteger();

    static String record(String id, String desktop, int order, String status) {
        return "event: record\ndata: {\"id\":\"" + id + "\",\"script_task_id\":\"t1\",\"resource_id\":\"" + desktop
                + "\",\"resource_name\":\"" + desktop + "\",\"status\":\"" + status + "\",\"execute_order\":" + order
                + ",\"some_newer_field\":1}\n\n";
    }

    /** Serves the n-th connection the n-th body (the last one again after that). */
    Session serve(int status, String... bodies) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v2/p1/script-execution-tasks/t1/events", exchange -> {
            tokens.add(exchange.getRequestHeaders().getFirst("X-Auth-Token"));
            int n = connections.getAndIncrement();
            send(exchange, status, bodies[Math.min(n, bodies.length - 1)]);
        });
        server.start();
        return new Session(new ApiClient("http://127.0.0.1:" + server.getAddress().getPort(), "tok"), "p1");
    }

    static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", status == 200 ? "text/event-stream" : "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void followsUntilTheEndEvent() throws IOException {
        Session session = serve(200, TASK + GRAY_RUNNING + ": keep-alive\n\n" + GRAY_DONE + REST_DONE + END);
        TaskWatch watch = new TaskWatch("t1");
        StringWriter out = new StringWriter();
        new TaskFollower(session, new ProgressView(new PrintWriter(out), false, () -> 0L)).follow(watch);
        assertEquals(TaskStatus.FAILED, watch.endStatus());
        assertEquals(List.of(new Batch(1, 1, 1, 0, 0), new Batch(2, 1, 0, 1, 0)), watch.batches());
        assertEquals(List.of("tok"), tokens);
    }

    @Test
    void aStreamClosedBeforeTheEndIsReopenedAndItsSnapshotCountedOnce() throws IOException {
        Session session = serve(200, TASK + GRAY_RUNNING, TASK + GRAY_DONE + REST_DONE + END);
        TaskWatch watch = new TaskWatch("t1");
        StringWriter out = new StringWriter();
        new TaskFollower(session, new ProgressView(new PrintWriter(out), false, () -> 0L)).follow(watch);
        assertEquals(2, connections.get());
        assertEquals(TaskStatus.FAILED, watch.endStatus());
        assertEquals(List.of(new Batch(1, 1, 1, 0, 0), new Batch(2, 1, 0, 1, 0)), watch.batches());
        assertTrue(out.toString().contains("the server closed the event stream; reconnecting"), out.toString());
    }

    @Test
    void anApiErrorIsNotRetried() throws IOException {
        Session session = serve(404, "{\"error_code\":\"WKS.00210404\",\"error_msg\":\"Task t1 does not exist.\"}");
        TaskFollower follower = new TaskFollower(session, new ProgressView(new PrintWriter(new StringWriter()), false,
                () -> 0L));
        ApiError error = assertThrows(ApiError.class, () -> follower.follow(new TaskWatch("t1")));
        assertEquals("WKS.00210404: Task t1 does not exist.", error.getMessage());
        assertEquals(1, connections.get());
    }
}
