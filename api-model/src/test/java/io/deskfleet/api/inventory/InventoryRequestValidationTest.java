package io.deskfleet.api.inventory;

import io.deskfleet.api.error.ApiException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class InventoryRequestValidationTest {

    @Test
    void poolNameLengthAndTypeAreChecked() {
        new CreatePoolRequest("a".repeat(255), null, "STATIC").validate();
        assertThrows(ApiException.class, () -> new CreatePoolRequest("a".repeat(256), null, "STATIC").validate());
        assertThrows(ApiException.class, () -> new CreatePoolRequest(" ", null, "STATIC").validate());
        assertThrows(ApiException.class, () -> new CreatePoolRequest("p", null, "static").validate());
        assertThrows(ApiException.class, () -> new CreatePoolRequest("p", "d".repeat(1025), "DYNAMIC").validate());
    }

    @Test
    void tagParsesKeyEqualsValue() {
        assertEquals(new DesktopTag("env", "prod=1"), DesktopTag.parse("env=prod=1"));
        assertEquals(new DesktopTag("env", ""), DesktopTag.parse("env="));
        assertThrows(ApiException.class, () -> DesktopTag.parse("=prod"));
        assertThrows(ApiException.class, () -> DesktopTag.parse("env"));
    }

    @Test
    void powerActionDeduplicatesAndMapsOpType() {
        PowerActionRequest.Validated v = new PowerActionRequest(List.of("d1", "d2", "d1"), "os-hibernate", null)
                .validate();
        assertEquals(List.of("d1", "d2"), v.desktopIds());
        assertEquals(PowerActionRequest.Operation.HIBERNATE, v.operation());
        assertThrows(ApiException.class, () -> new PowerActionRequest(List.of(), "reboot", "SOFT").validate());
        assertThrows(ApiException.class, () -> new PowerActionRequest(List.of("d"), "halt", "SOFT").validate());
        assertThrows(ApiException.class, () -> new PowerActionRequest(List.of("d"), "reboot", "NICE").validate());
    }

    @Test
    void activationDefaultsAndRanges() {
        CreateActivationRequest v = new CreateActivationRequest("p", null, null, null).validated();
        assertEquals(1, v.registrationLimit());
        assertEquals(24, v.expiresInHours());
        assertThrows(ApiException.class, () -> new CreateActivationRequest("p", 0, 1, null).validated());
        assertThrows(ApiException.class, () -> new CreateActivationRequest("p", 10001, 1, null).validated());
        assertThrows(ApiException.class, () -> new CreateActivationRequest("p", 1, 721, null).validated());
        assertThrows(ApiException.class, () -> new CreateActivationRequest(null, 1, 1, null).validated());
    }
}
