package io.deskfleet.controlplane.auth;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The canonical form details the Huawei SDK's AKSKSigner uses (its end-to-end check is WorkspaceSdkIT). */
class SdkSignatureTest {

    @Test
    void canonicalUriAlwaysEndsWithASlashAndReEncodesSegments() {
        assertEquals("/", SdkSignature.canonicalUri("/"));
        assertEquals("/v2/p/scripts/", SdkSignature.canonicalUri("/v2/p/scripts"));
        assertEquals("/v2/p/scripts/", SdkSignature.canonicalUri("/v2/p/scripts/"));
        assertEquals("/v2/p/a%2520b/", SdkSignature.canonicalUri("/v2/p/a%20b"));
    }

    @Test
    void canonicalQueryIsSortedAndRfc3986Encoded() {
        assertEquals("", SdkSignature.canonicalQuery(null));
        assertEquals("a=1&b=x%20y&b=2&c=~%2A", SdkSignature.canonicalQuery("c=~*&b=x%20y&a=1&b=2"));
        assertEquals("name=a%2Bb", SdkSignature.canonicalQuery("name=a+b"), "'+' is a literal plus");
        assertEquals("flag=", SdkSignature.canonicalQuery("flag"));
    }

    @Test
    void parsesTheAuthorizationHeaderAndDetectsChanges() {
        var auth = SdkSignature.parse("SDK-HMAC-SHA256 Access=AK1, SignedHeaders=host;x-sdk-date, Signature=ABCDEF01")
                .orElseThrow();
        assertEquals("AK1", auth.accessKey());
        assertEquals(List.of("host", "x-sdk-date"), auth.signedHeaders());
        assertEquals("abcdef01", auth.signature());
        assertTrue(SdkSignature.parse("SDK-HMAC-SHA256 Access=AK1").isEmpty());
        assertTrue(SdkSignature.parse("Bearer x").isEmpty());

        Map<String, String> headers = Map.of("host", "h:1", "x-sdk-date", "20260101T000000Z");
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        String canonical = SdkSignature.canonicalRequest("POST", "/v2/p/scripts", null, List.of("host", "x-sdk-date"),
                headers::get, body);
        assertEquals("POST\n/v2/p/scripts/\n\nhost:h:1\nx-sdk-date:20260101T000000Z\n\nhost;x-sdk-date\n"
                + "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", canonical);
        String signature = SdkSignature.signature("secret", "20260101T000000Z", canonical);
        assertTrue(SdkSignature.matches(signature, SdkSignature.signature("secret", "20260101T000000Z", canonical)));
        assertFalse(SdkSignature.matches(signature, SdkSignature.signature("secreT", "20260101T000000Z", canonical)));
    }
}
