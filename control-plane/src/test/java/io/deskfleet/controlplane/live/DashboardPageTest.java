package io.deskfleet.controlplane.live;

import io.deskfleet.controlplane.ControlPlaneTestBase;
import io.micronaut.http.HttpRequest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dashboard's files are served without a token; the APIs it calls still need one. */
@MicronautTest(transactional = false)
class DashboardPageTest extends ControlPlaneTestBase {

    private String text(String path, int expectedStatus, String expectedType) {
        var response = http.toBlocking().exchange(HttpRequest.GET(path), String.class);
        assertEquals(expectedStatus, response.code(), path);
        assertTrue(response.getContentType().orElseThrow().toString().startsWith(expectedType),
                () -> path + " " + response.getContentType());
        return response.body();
    }

    @Test
    void pageAndScriptsAreServedWithoutAToken() {
        String page = text("/ui/", 200, "text/html");
        assertTrue(page.contains("<form id=\"login\""), page);
        assertTrue(text("/ui/index.html", 200, "text/html").contains("app.js"));
        assertTrue(text("/ui/core.js", 200, "application/javascript").contains("X-Auth-Token"));
        text("/ui/app.js", 200, "application/javascript");
        text("/ui/schedules.js", 200, "application/javascript");
        text("/ui/style.css", 200, "text/css");
    }

    @Test
    void theApiStillNeedsAToken() {
        assertEquals(401, call(HttpRequest.GET("/v2/p/desktops/detail")).status());
        assertEquals(401, call(HttpRequest.GET("/v2/p/events")).status());
    }
}
