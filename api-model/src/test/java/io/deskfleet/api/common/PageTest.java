package io.deskfleet.api.common;

import io.deskfleet.api.error.ApiException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PageTest {

    @Test
    void defaultsAndBounds() {
        assertEquals(new Page(0, 100), Page.of(null, null, 100, 1000));
        assertEquals(new Page(5, 1000), Page.of(5, 1000, 100, 1000));
        assertThrows(ApiException.class, () -> Page.of(-1, 10, 100, 1000));
        assertThrows(ApiException.class, () -> Page.of(0, 0, 100, 1000));
        assertThrows(ApiException.class, () -> Page.of(0, 1001, 100, 1000));
    }
}
