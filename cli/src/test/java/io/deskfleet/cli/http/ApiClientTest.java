package io.deskfleet.cli.http;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ApiClientTest {

    @Test
    void theContractErrorBodyGivesCodeAndMessage() {
        ApiError error = ApiClient.error(400, "{\"error_code\":\"WKS.00211102\",\"error_msg\":\"gray_count: must be "
                + "between 0 and 1000\"}", true);
        assertEquals("WKS.00211102: gray_count: must be between 0 and 1000", error.getMessage());
        assertEquals(1, error.exitCode());
    }

    @Test
    void aRefusedTokenSaysToLogInAgain() {
        ApiError error = ApiClient.error(401, "{\"error_code\":\"WKS.00211302\",\"error_msg\":\"token expired\"}", true);
        assertEquals("WKS.00211302: token expired (the stored token was refused; run deskfleet login again)",
                error.getMessage());
        assertEquals("WKS.00211302: wrong password",
                ApiClient.error(401, "{\"error_code\":\"WKS.00211302\",\"error_msg\":\"wrong password\"}", false)
                        .getMessage());
    }

    @Test
    void anyOtherBodyIsShownOnOneLine() {
        assertEquals("HTTP 502: <html> <b>Bad gateway</b> </html>",
                ApiClient.error(502, "<html>\n<b>Bad gateway</b>\n</html>", true).getMessage());
        assertEquals("HTTP 404: (no body)", ApiClient.error(404, "", true).getMessage());
    }

    @Test
    void queriesLeaveOutAbsentParametersAndEncodeValues() {
        assertEquals("?tag=team%3Dqa&limit=5", new Query().add("pool_id", null).add("tag", "team=qa")
                .add("limit", 5).toString());
        assertEquals("", new Query().add("x", null).toString());
    }
}
