package io.deskfleet.controlplane.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import io.deskfleet.agent.v1.AgentMessage;
import io.deskfleet.agent.v1.PowerState;
import io.deskfleet.agent.v1.PowerStateChanged;
import io.deskfleet.agent.v1.RegisterResponse;
import io.deskfleet.controlplane.ControlPlaneTestBase;
import io.deskfleet.controlplane.TestAgent;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest(transactional = false)
class InventoryTest extends ControlPlaneTestBase {
    private static final String P = "inventory";

    private TestAgent agent;
    private String poolA;
    private String poolB;
    /** Desktops a0..a2 in pool A (a0, a1 tagged env=prod), b0 in pool B; a2 is SHUTOFF. */
    private final List<String> a = new ArrayList<>();
    private String b0;

    @BeforeAll
    void setUp() throws Exception {
        agent = new TestAgent(agentLink.port());
        poolA = createPool(P, "pool-a");
        poolB = createPool(P, "pool-b");
        String[] actA = createActivation(P, poolA, 3);
        for (int i = 0; i < 3; i++) {
            a.add(agent.register(P, actA[0], actA[1], poolA, "a" + i,
                    i < 2 ? Map.of("env", "prod", "idx", "" + i) : Map.of("env", "dev")).getDesktopId());
        }
        String[] actB = createActivation(P, poolB, 1);
        RegisterResponse b = agent.register(P, actB[0], actB[1], poolB, "b0", Map.of("env", "prod"));
        b0 = b.getDesktopId();
        // a2 reports being shut off through its stream.
        String[] actC = createActivation(P, poolA, 1);
        RegisterResponse c = agent.register(P, actC[0], actC[1], poolA, "a3", Map.of());
        a.add(c.getDesktopId());
        TestAgent.Link link = agent.connect(c.getDesktopId(), c.getDesktopCredential());
        link.next();
        link.send(AgentMessage.newBuilder().setPowerStateChanged(PowerStateChanged.newBuilder()
                .setPowerState(PowerState.POWER_STATE_SHUTOFF)).build());
        await("a3 SHUTOFF", () -> get(P, "/desktops/" + c.getDesktopId()).body().get("desktop").get("status")
                .asText().equals("SHUTOFF"));
        link.hangUp();
        await("a3 offline", () -> !get(P, "/desktops/" + c.getDesktopId()).body().get("desktop")
                .get("agent_online").asBoolean());
    }

    @AfterAll
    void tearDown() throws InterruptedException {
        agent.close();
    }

    private static Set<String> ids(JsonNode desktops) {
        Set<String> ids = new HashSet<>();
        desktops.forEach(d -> ids.add(d.get("desktop_id").asText()));
        return ids;
    }

    @Test
    void poolsAreCreatedListedAndShownPerProject() {
        Response created = post(P, "/desktop-pools", "{\"name\":\"pool-c\",\"description\":\"d\",\"type\":\"STATIC\"}");
        assertEquals(200, created.status());
        JsonNode pool = created.body();
        assertEquals("pool-c", pool.get("name").asText());
        assertEquals("STATIC", pool.get("type").asText());
        assertEquals("STEADY", pool.get("status").asText());
        assertEquals(0, pool.get("desktop_count").asInt());

        JsonNode shownA = get(P, "/desktop-pools/" + poolA).body();
        assertEquals(4, shownA.get("desktop_count").asInt());
        assertEquals(0, shownA.get("desktop_used").asInt());

        JsonNode list = get(P, "/desktop-pools?limit=2").body();
        assertTrue(list.get("total_count").asInt() >= 3);
        assertEquals(2, list.get("desktop_pools").size());
        assertEquals("pool-a", list.get("desktop_pools").get(0).get("name").asText());

        assertEquals(404, get("other-project", "/desktop-pools/" + poolA).status());
        assertEquals(0, get("stranger", "/desktop-pools").body().get("total_count").asInt());

        JsonNode poolDesktops = get(P, "/desktop-pools/" + poolB + "/desktops").body();
        assertEquals(1, poolDesktops.get("total_count").asInt());
        assertEquals(b0, poolDesktops.get("pool_desktops").get(0).get("desktop_id").asText());
    }

    @Test
    void poolValidationAndDuplicates() {
        assertEquals(409, post(P, "/desktop-pools", "{\"name\":\"pool-a\",\"type\":\"STATIC\"}").status());
        assertEquals(200, post("other-project", "/desktop-pools", "{\"name\":\"pool-a\",\"type\":\"STATIC\"}")
                .status(), "names are unique per project only");
        for (String bad : List.of("{\"type\":\"STATIC\"}", "{\"name\":\"x\",\"type\":\"BIG\"}",
                "{\"name\":\"" + "n".repeat(256) + "\",\"type\":\"STATIC\"}",
                "{\"name\":\"x\",\"type\":\"STATIC\",\"description\":\"" + "d".repeat(1025) + "\"}")) {
            Response r = post(P, "/desktop-pools", bad);
            assertEquals(400, r.status(), bad);
            assertEquals("WKS.00211102", r.body().get("error_code").asText());
        }
        assertEquals(400, get(P, "/desktop-pools?limit=0").status());
        assertEquals(400, get(P, "/desktop-pools?limit=1001").status());
    }

    @Test
    void activationValidation() {
        assertEquals(404, post(P, "/agent-activations", "{\"pool_id\":\"missing\"}").status());
        assertEquals(404, post("other-project", "/agent-activations", "{\"pool_id\":\"" + poolA + "\"}").status());
        assertEquals(400, post(P, "/agent-activations", "{\"pool_id\":\"" + poolA + "\",\"expires_in_hours\":721}")
                .status());
        JsonNode ok = post(P, "/agent-activations", "{\"pool_id\":\"" + poolA + "\"}").body();
        assertEquals(1, ok.get("registration_limit").asInt());
        assertTrue(ok.get("activation_code").asText().length() >= 40);
    }

    @Test
    void detailFiltersByStatusPoolTagAndId() {
        JsonNode all = get(P, "/desktops/detail").body();
        assertEquals(5, all.get("total_count").asInt());

        JsonNode shutoff = get(P, "/desktops/detail?status=SHUTOFF").body();
        assertEquals(Set.of(a.get(3)), ids(shutoff.get("desktops")));

        JsonNode inB = get(P, "/desktops/detail?pool_id=" + poolB).body();
        assertEquals(Set.of(b0), ids(inB.get("desktops")));

        JsonNode prod = get(P, "/desktops/detail?tag=env%3Dprod").body();
        assertEquals(Set.of(a.get(0), a.get(1), b0), ids(prod.get("desktops")));
        JsonNode prodInA = get(P, "/desktops/detail?tag=env%3Dprod&pool_id=" + poolA).body();
        assertEquals(Set.of(a.get(0), a.get(1)), ids(prodInA.get("desktops")));

        JsonNode one = get(P, "/desktops/detail?desktop_id=" + a.get(1)).body();
        assertEquals(1, one.get("total_count").asInt());
        JsonNode d = one.get("desktops").get(0);
        assertEquals("a1", d.get("computer_name").asText());
        assertEquals(poolA, d.get("desktop_pool_id").asText());
        assertEquals("Linux", d.get("os_type").asText());
        assertEquals(2, d.get("tags").size());
        assertEquals("env", d.get("tags").get(0).get("key").asText());
        assertEquals("prod", d.get("tags").get(0).get("value").asText());
        assertEquals(0, get("other-project", "/desktops/detail?desktop_id=" + a.get(1)).body()
                .get("total_count").asInt());
    }

    @Test
    void detailPagesInCreationOrder() {
        JsonNode first = get(P, "/desktops/detail?limit=2").body();
        JsonNode rest = get(P, "/desktops/detail?offset=2&limit=10").body();
        assertEquals(5, first.get("total_count").asInt());
        assertEquals(2, first.get("desktops").size());
        assertEquals(3, rest.get("desktops").size());
        assertEquals(a.get(0), first.get("desktops").get(0).get("desktop_id").asText());
        Set<String> union = ids(first.get("desktops"));
        union.addAll(ids(rest.get("desktops")));
        assertEquals(5, union.size());
    }

    @Test
    void badFiltersAre400() {
        for (String query : List.of("status=RUNNING", "tag=novalue", "tag=%3Dx", "limit=0", "offset=-1",
                "limit=abc")) {
            Response r = get(P, "/desktops/detail?" + query);
            assertEquals(400, r.status(), query);
            assertEquals("WKS.00211102", r.body().get("error_code").asText(), query);
        }
        assertEquals(404, get(P, "/desktops/unknown").status());
    }
}
