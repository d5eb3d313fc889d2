package io.deskfleet.api.error;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ErrorBodyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyBodyHasTheContractsFourFields() throws Exception {
        assertEquals("{\"error_code\":\"WKS.00211401\",\"error_msg\":\"An internal service error occurred.\","
                        + "\"error_detail\":\"An internal service error occurred.\",\"encoded_authorization_message\":\"\"}",
                JSON.writeValueAsString(ErrorBody.of("WKS.00211401", "An internal service error occurred.")));
    }

    @Test
    void aDetailIsKeptAndTheMessageRepeatedOnlyWithoutOne() {
        ErrorBody withDetail = new ApiException(ErrorCode.NOT_FOUND, "No resources found.", "Pool p").toBody();
        assertEquals("Pool p", withDetail.errorDetail());
        assertEquals("gray_count: must be between 0 and 1000",
                ApiException.invalid("gray_count: must be between 0 and 1000").toBody().errorDetail());
        assertEquals("", withDetail.encodedAuthorizationMessage());
    }
}
