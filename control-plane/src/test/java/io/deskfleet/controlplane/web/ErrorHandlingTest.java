package io.deskfleet.controlplane.web;

import io.deskfleet.controlplane.ControlPlaneTestBase;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest(transactional = false)
class ErrorHandlingTest extends ControlPlaneTestBase {
    private static final String P = "errors";

    /** The contract's error body, all four fields, whoever answered: our handlers, the auth filter or Micronaut. */
    private void assertError(Response r, int status, String code) {
        assertEquals(status, r.status(), () -> "response " + r);
        assertEquals(code, r.body().get("error_code").asText(), () -> "response " + r);
        assertTrue(!r.body().get("error_msg").asText().isEmpty(), () -> "response " + r);
        assertTrue(!r.body().path("error_detail").asText().isEmpty(), () -> "error_detail in " + r);
        assertEquals("", r.body().path("encoded_authorization_message").asText(null), () -> "response " + r);
        assertEquals(4, r.body().size(), () -> "exactly the contract's fields: " + r);
    }

    @Test
    void validationRefusalRepeatsItsMessageAsDetail() {
        Response r = post(P, "/scripts", "{\"name\":\"s\",\"type\":\"SHELL\",\"content\":\"\"}");
        assertError(r, 400, "WKS.00211102");
        assertEquals("content: must not be empty", r.body().get("error_msg").asText());
        assertEquals("content: must not be empty", r.body().get("error_detail").asText());
    }

    @Test
    void authRefusalsKeepTheirBody() {
        assertError(call(HttpRequest.GET("/v2/" + P + "/scripts")), 401, "WKS.00211302");
        assertError(call(HttpRequest.GET("/v2/other-project/scripts").header("X-Auth-Token", token(P))), 403,
                "WKS.00210403");
    }

    @Test
    void conflictIs409WithBody() {
        createPool(P, "twice");
        assertError(post(P, "/desktop-pools", "{\"name\":\"twice\",\"type\":\"STATIC\"}"), 409, "WKS.00210409");
    }

    @Test
    void unsupportedMediaTypeIs415WithBody() {
        assertError(call(HttpRequest.POST("/v2/" + P + "/desktop-pools", "name=x").contentType(MediaType.TEXT_PLAIN_TYPE)
                .header("X-Auth-Token", token(P))), 415, "WKS.00211102");
    }

    @Test
    void malformedJsonIsInvalidParameter() {
        assertError(post(P, "/desktop-pools", "{\"name\": \"x\", "), 400, "WKS.00211102");
    }

    @Test
    void fieldOfTheWrongTypeIsInvalidParameter() {
        assertError(post(P, "/agent-activations", "{\"pool_id\":\"p\",\"registration_limit\":\"many\"}"),
                400, "WKS.00211102");
        assertError(post(P, "/desktop-pools", "{\"name\":[\"x\"],\"type\":\"STATIC\"}"), 400, "WKS.00211102");
        assertError(post(P, "/desktop-pools", "{\"name\":5,\"type\":\"STATIC\"}"), 400, "WKS.00211102");
        assertError(post(P, "/desktops/actions", "{\"desktop_ids\":\"d1\",\"op_type\":\"reboot\"}"), 400,
                "WKS.00211102");
    }

    @Test
    void missingBodyIsEmptyRequest() {
        assertError(call(HttpRequest.POST("/v2/" + P + "/desktop-pools", "")
                .contentType(MediaType.APPLICATION_JSON_TYPE).header("X-Auth-Token", token(P))), 400, "WKS.0001");
    }

    @Test
    void unknownRouteIs404WithBody() {
        assertError(get(P, "/no-such-thing"), 404, "WKS.00210404");
        assertError(call(HttpRequest.GET("/nothing-here")), 404, "WKS.00210404");
    }

    @Test
    void wrongMethodIs405() {
        assertError(call(HttpRequest.DELETE("/v2/" + P + "/desktop-pools").header("X-Auth-Token", token(P))),
                405, "WKS.00000405");
    }

    @Test
    void bodyOverTheLimitIs413() {
        String big = "{\"name\":\"" + "x".repeat(1_200_000) + "\",\"type\":\"STATIC\"}";
        assertError(post(P, "/desktop-pools", big), 413, "WKS.00210413");
    }

    @Test
    void apiExceptionCarriesItsStatusAndCode() {
        assertError(get(P, "/desktop-pools/unknown-pool"), 404, "WKS.00210404");
    }
}
