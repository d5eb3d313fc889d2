package io.deskfleet.controlplane.audit;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestSummaryTest {

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aLoginKeepsTheUserNameAndLosesThePassword() {
        byte[] login = bytes("""
                {"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"alice",
                "password":"hunter2-secret","domain":{"name":"Default"}}}},"scope":{"project":{"id":"p1"}}}}""");
        String summary = RequestSummary.of(login);
        assertFalse(summary.contains("hunter2"), summary);
        assertTrue(summary.contains("\"name\":\"alice\""), summary);
        assertTrue(summary.contains("\"password\":\"***\""), summary);
        assertEquals(Optional.of("alice"), RequestSummary.loginUserName(login));
    }

    @Test
    void secretsAndActivationCodesAreRedactedAtAnyDepth() {
        String summary = RequestSummary.of(bytes("""
                {"credential":{"secret":"S3CR3T","sk":"SK1"},"activation_code":"AC-9","items":[{"token":"t0k"}],
                 "user_id":"u1"}"""));
        for (String secret : List.of("S3CR3T", "SK1", "AC-9", "t0k")) {
            assertFalse(summary.contains(secret), summary);
        }
        assertTrue(summary.contains("\"user_id\":\"u1\""), summary);
    }

    @Test
    void longStringsAndLongBodiesAreCut() {
        String script = "x".repeat(10_000);
        String summary = RequestSummary.of(bytes("{\"command_content\":\"" + script + "\"}"));
        assertTrue(summary.contains("…(10000 chars)"), summary);
        assertTrue(summary.length() < 400, "one long field is cut to its start");
        StringBuilder many = new StringBuilder("{");
        for (int i = 0; i < 100; i++) {
            many.append(i == 0 ? "" : ",").append("\"f").append(i).append("\":\"").append("y".repeat(150)).append('"');
        }
        assertEquals(RequestSummary.MAX_CHARS, RequestSummary.of(bytes(many.append('}').toString())).length());
    }

    @Test
    void targetIdsAreTheIdFieldsOfTheBody() {
        List<String> ids = RequestSummary.targetIds(bytes("""
                {"project_id":"p","task_id":"t1","desktop_ids":["d1","d2"],
                 "apply_objects":[{"object_type":"DESKTOP_POOL","object_id":"pool-1"}],"name":"n"}"""));
        assertEquals(List.of("t1", "d1", "d2", "pool-1"), ids);
    }

    @Test
    void aBodyThatIsNotJsonIsDescribedNotCopied() {
        assertEquals("(9 bytes, not JSON)", RequestSummary.of(bytes("password=")));
        assertNull(RequestSummary.of(new byte[0]));
        assertEquals(List.of(), RequestSummary.targetIds(bytes("not json")));
    }
}
