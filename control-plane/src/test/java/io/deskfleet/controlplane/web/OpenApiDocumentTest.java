package io.deskfleet.controlplane.web;

import io.deskfleet.agent.v1.RegisterResponse;
import io.deskfleet.controlplane.ControlPlaneTestBase;
import io.deskfleet.controlplane.TestAgent;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.management.endpoint.annotation.Endpoint;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.web.router.Router;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OpenAPI document the control plane serves matches the routes it really answers, both ways, with the status codes
 * they really answer; every operation has one declared tag, an id (the public SDK's operation name where it has one)
 * and the contract's error body on its errors; and the document is readable offline in the bundled Swagger UI.
 */
@MicronautTest(transactional = false)
@SuppressWarnings("unchecked")
class OpenApiDocumentTest extends ControlPlaneTestBase {
    private static final String P = "proj-openapi";
    private static final String DOCUMENT = "/openapi/deskfleet.yml";

    @Inject
    Router router;

    @Inject
    EmbeddedServer server;

    private Map<String, Object> document;
    /** Real ids for every path parameter, so that a 404 can only mean "no such route". */
    private final Map<String, String> ids = new java.util.HashMap<>();

    @BeforeAll
    @SuppressWarnings("unchecked")
    void setUp() throws Exception {
        // no token: retrieve fails on anything but a 2xx
        document = new Yaml().load(http.toBlocking().retrieve(HttpRequest.GET(DOCUMENT)));

        String pool = createPool(P, "doc-pool");
        String[] activation = createActivation(P, pool, 1);
        String desktop;
        try (TestAgent agent = new TestAgent(agentLink.port())) {
            RegisterResponse reg = agent.register(P, activation[0], activation[1], pool, "doc-pc", Map.of());
            desktop = reg.getDesktopId();
        }
        String script = post(P, "/scripts", "{\"name\":\"doc\",\"type\":\"SHELL\",\"content\":\"true\"}")
                .body().get("script_id").asText();
        Response execution = post(P, "/desktop-pools/" + pool + "/script-executions",
                "{\"command_content\":\"true\",\"command_type\":\"SHELL\"}");
        assertEquals(200, execution.status(), execution.toString());
        String executionTask = execution.body().get("task_id").asText();
        String executionRecord = get(P, "/script-execution-records?script_task_id=" + executionTask).body()
                .at("/script_records/0/id").asText();
        Response scheduled = post(P, "/scheduled-tasks", "{\"task_name\":\"doc\",\"task_type\":\"REBOOT\","
                + "\"scheduled_type\":\"LIFE_CYCLE\",\"life_cycle_type\":\"POST_REBUILD_DESKTOP_SUCCESS\","
                + "\"apply_objects\":[{\"object_type\":\"DESKTOP\",\"object_id\":\"" + desktop + "\"}]}");
        assertEquals(200, scheduled.status(), scheduled.toString());
        String scheduledTask = scheduled.body().get("task_id").asText();
        assertEquals(200, post(P, "/desktops/" + desktop + "/rebuild", "{}").status());
        await("the triggered fire's record", () -> get(P, "/scheduled-tasks/" + scheduledTask + "/records")
                .body().get("total_count").asInt() == 1);
        String fireRecord = get(P, "/scheduled-tasks/" + scheduledTask + "/records").body()
                .at("/tasks_records/0/id").asText();

        Response user = call(HttpRequest.PUT("/v2/" + P + "/users/doc-reader",
                        "{\"password\":\"doc-reader-password\",\"role\":\"readonly\"}")
                .contentType(MediaType.APPLICATION_JSON_TYPE).header("X-Auth-Token", token(P)));
        assertEquals(201, user.status(), user.toString());
        Response key = call(HttpRequest.POST("/v3.0/OS-CREDENTIAL/credentials", "{\"credential\":{\"user_id\":\""
                        + user.body().at("/user/id").asText() + "\",\"description\":\"doc\"}}")
                .contentType(MediaType.APPLICATION_JSON_TYPE).header("X-Auth-Token", token(P)));
        assertEquals(201, key.status(), key.toString());

        // a task held for approval, for the approval routes
        String protection = post(P, "/protected-targets", "{\"object_type\":\"DESKTOP_POOL\",\"object_id\":\""
                + pool + "\"}").body().get("id").asText();
        String heldTask = post(P, "/desktop-pools/" + pool + "/script-executions",
                "{\"command_content\":\"true\",\"command_type\":\"SHELL\"}").body().get("task_id").asText();

        ids.put("project_id", P);
        ids.put("id", protection);
        ids.put("approvals/task_id", heldTask);
        ids.put("task_id", executionTask);
        ids.put("user_name", "doc-reader");
        ids.put("access_key", key.body().at("/credential/access").asText());
        ids.put("pool_id", pool);
        ids.put("desktop_id", desktop);
        ids.put("script_id", script);
        ids.put("execution-records/record_id", executionRecord);
        ids.put("scheduled-tasks/task_id", scheduledTask);
        ids.put("scheduled-tasks/record_id", fireRecord);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Map<String, Object>> paths() {
        return (Map<String, Map<String, Object>>) document.get("paths");
    }

    /** "METHOD path" for every operation of the document. */
    private Set<String> documentedOperations() {
        Set<String> operations = new TreeSet<>();
        paths().forEach((path, item) -> item.keySet().stream()
                .filter(k -> Set.of("get", "put", "post", "delete", "patch", "head", "options").contains(k))
                .forEach(method -> operations.add(method.toUpperCase() + " " + path)));
        return operations;
    }

    @Test
    void everyRouteTheServerAnswersIsDocumentedAndNothingElse() {
        // Management endpoints (/health, /prometheus, ...) are served beside the API, not part of it.
        Set<String> routed = router.uriRoutes()
                .filter(r -> !r.getTargetMethod().getDeclaringType().isAnnotationPresent(Endpoint.class))
                .map(r -> r.getHttpMethodName() + " " + withoutQuery(r.getUriMatchTemplate().toString()))
                .collect(Collectors.toCollection(TreeSet::new));
        // Micronaut answers HEAD wherever it answers GET (HTTP's GET without a body); the document lists the GET.
        routed.removeIf(op -> op.startsWith("HEAD ") && routed.contains("GET " + op.substring("HEAD ".length())));
        assertFalse(routed.isEmpty());
        assertEquals(routed, documentedOperations());
    }

    @Test
    void everyDocumentedOperationReachesAController() {
        List<String> operations = new ArrayList<>(documentedOperations());
        // Deletions last, so that the ids stay valid for the other calls.
        operations.sort(Comparator.comparing((String op) -> op.startsWith("DELETE")));
        Pattern variable = Pattern.compile("\\{([a-z_]+)}");
        for (String operation : operations) {
            String method = operation.substring(0, operation.indexOf(' '));
            String template = operation.substring(method.length() + 1);
            Matcher m = variable.matcher(template);
            StringBuilder path = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(path, Matcher.quoteReplacement(idFor(template, m.group(1))));
            }
            m.appendTail(path);
            MutableHttpRequest<Object> request = HttpRequest.create(HttpMethod.parse(method), path.toString());
            if (!method.equals("GET") && !method.equals("DELETE")) {
                request.body("{}").contentType(MediaType.APPLICATION_JSON_TYPE);
            }
            // an event stream stays open: its status line is the answer
            int status = template.endsWith("/events") ? streamStatus(path.toString())
                    : call(request.header("X-Auth-Token", token(P))).status();
            // a 4xx for an empty body is fine: what matters is that a controller, not the router, answered
            assertTrue(status != 404 && status != 405 && status < 500,
                    operation + " as " + method + " " + path + " -> " + status);
            assertDocumented(method, template, status);
        }
    }

    /** The document lists the status the server really answered for that operation. */
    private void assertDocumented(String method, String template, int status) {
        assertTrue(responses(operation(method, template)).containsKey(String.valueOf(status)),
                method + " " + template + " answered " + status + ", documented only "
                        + responses(operation(method, template)).keySet());
    }

    @Test
    void theTokenIsDocumentedAs201WithItsHeaderAsServed() {
        Response issued = call(HttpRequest.POST("/v3/auth/tokens", tokenBody("admin", ADMIN_PASSWORD, P))
                .contentType(MediaType.APPLICATION_JSON_TYPE));
        assertEquals(201, issued.status(), issued.toString());
        assertDocumented("POST", "/v3/auth/tokens", issued.status());
        Map<String, Object> created = (Map<String, Object>) responses(operation("POST", "/v3/auth/tokens")).get("201");
        assertTrue(((Map<String, Object>) created.get("headers")).containsKey("X-Subject-Token"), created.toString());
        assertFalse(issued.headers().get("X-Subject-Token").isBlank());
        // a wrong password: the documented 401 with the error body
        Response refused = call(HttpRequest.POST("/v3/auth/tokens", tokenBody("admin", "not-the-password", P))
                .contentType(MediaType.APPLICATION_JSON_TYPE));
        assertEquals(401, refused.status(), refused.toString());
        assertDocumented("POST", "/v3/auth/tokens", refused.status());
    }

    @Test
    void createdAndUpdatedUsersAnswerTheDocumentedCodes() {
        String put = "/v2/{project_id}/users/{user_name}";
        for (int expected : new int[] {201, 200}) {
            Response user = call(HttpRequest.PUT("/v2/" + P + "/users/doc-writer",
                            "{\"password\":\"doc-writer-password\",\"role\":\"admin\"}")
                    .contentType(MediaType.APPLICATION_JSON_TYPE).header("X-Auth-Token", token(P)));
            assertEquals(expected, user.status(), user.toString());
            assertDocumented("PUT", put, user.status());
        }
    }

    @Test
    void everyOperationHasOneDeclaredTagAUniqueIdAndTheErrorBody() {
        Set<String> declaredTags = ((List<Map<String, Object>>) document.get("tags")).stream()
                .peek(t -> assertFalse(String.valueOf(t.get("description")).isBlank(), "a described tag: " + t))
                .map(t -> (String) t.get("name")).collect(Collectors.toSet());
        Set<String> usedTags = new TreeSet<>();
        Set<String> ids = new TreeSet<>();
        for (String op : documentedOperations()) {
            String method = op.substring(0, op.indexOf(' '));
            String path = op.substring(method.length() + 1);
            Map<String, Object> operation = operation(method, path);
            List<String> tags = (List<String>) operation.get("tags");
            assertTrue(tags != null && tags.size() == 1 && declaredTags.contains(tags.get(0)),
                    op + ": one declared tag, not " + tags);
            usedTags.add(tags.get(0));
            String id = (String) operation.get("operationId");
            assertTrue(id != null && id.matches("[a-z][A-Za-z]+") && ids.add(id), op + ": a unique id, not " + id);

            Map<String, Object> responses = responses(operation);
            assertTrue(responses.keySet().stream().anyMatch(code -> code.startsWith("2")), op + ": no 2xx");
            Set<String> errors = new TreeSet<>(Set.of("400", "401", "500"));
            if (!path.equals("/v3/auth/tokens")) {
                errors.add("403"); // AuthFilter: another project's token, or readonly writing
            }
            boolean namesResource = path.replace("{project_id}", "").contains("{");
            if (namesResource && !op.equals("PUT /v2/{project_id}/users/{user_name}")) {
                errors.add("404"); // names a resource by id (the users PUT creates the user it does not find)
            }
            assertTrue(responses.keySet().containsAll(errors),
                    op + ": " + responses.keySet() + " lacks some of " + errors);
            responses.forEach((code, response) -> {
                if (code.compareTo("4") >= 0) {
                    Map<String, Map<String, Object>> content =
                            (Map<String, Map<String, Object>>) ((Map<String, Object>) response).get("content");
                    assertTrue(content != null && !content.isEmpty(), op + " " + code + ": no error body");
                    content.forEach((type, media) -> assertEquals(Map.of("$ref", "#/components/schemas/ErrorBody"),
                            media.get("schema"), op + " " + code + " " + type));
                }
            });
        }
        assertEquals(declaredTags, usedTags, "every declared tag is an area with operations");
        Map<String, Map<String, Object>> schemas = (Map<String, Map<String, Object>>)
                ((Map<String, Object>) document.get("components")).get("schemas");
        assertEquals(Set.of("error_code", "error_msg", "error_detail", "encoded_authorization_message"),
                ((Map<String, Object>) schemas.get("ErrorBody").get("properties")).keySet());
    }

    /** Where the public Huawei Cloud SDKs have the operation, its id is the SDK's operation name. */
    @Test
    void operationIdsAreTheSdkOperationNames() {
        Map<String, String> sdk = Map.ofEntries(
                Map.entry("POST /v3/auth/tokens", "keystoneCreateUserTokenByPassword"),
                Map.entry("POST /v3.0/OS-CREDENTIAL/credentials", "createPermanentAccessKey"),
                Map.entry("GET /v3.0/OS-CREDENTIAL/credentials", "listPermanentAccessKeys"),
                Map.entry("GET /v3.0/OS-CREDENTIAL/credentials/{access_key}", "showPermanentAccessKey"),
                Map.entry("DELETE /v3.0/OS-CREDENTIAL/credentials/{access_key}", "deletePermanentAccessKey"),
                Map.entry("POST /v2/{project_id}/desktop-pools", "createDesktopPool"),
                Map.entry("GET /v2/{project_id}/desktop-pools", "listDesktopPools"),
                Map.entry("GET /v2/{project_id}/desktop-pools/{pool_id}", "showDesktopPoolDetail"),
                Map.entry("GET /v2/{project_id}/desktop-pools/{pool_id}/desktops", "listPoolDesktopsDetail"),
                Map.entry("GET /v2/{project_id}/desktops/detail", "listDesktopsDetail"),
                Map.entry("GET /v2/{project_id}/desktops/{desktop_id}", "showDesktopDetail"),
                Map.entry("DELETE /v2/{project_id}/desktops/{desktop_id}", "deleteDesktop"),
                Map.entry("POST /v2/{project_id}/scripts", "createScript"),
                Map.entry("GET /v2/{project_id}/scripts", "listScripts"),
                Map.entry("GET /v2/{project_id}/scripts/{script_id}", "showScriptDetail"),
                Map.entry("PUT /v2/{project_id}/scripts/{script_id}", "updateScript"),
                Map.entry("DELETE /v2/{project_id}/scripts/{script_id}", "deleteScript"),
                Map.entry("POST /v2/{project_id}/desktop-pools/{pool_id}/script-executions",
                        "executeDesktopPoolScript"),
                Map.entry("POST /v2/{project_id}/script-executions", "executeScriptOrCommand"),
                Map.entry("POST /v2/{project_id}/script-executions/by-desktop-tag", "executeScriptByDesktopTag"),
                Map.entry("POST /v2/{project_id}/script-executions/stop", "stopScriptExecution"),
                Map.entry("POST /v2/{project_id}/script-executions/retry", "retryScriptExecution"),
                Map.entry("GET /v2/{project_id}/script-execution-tasks", "listScriptTasks"),
                Map.entry("GET /v2/{project_id}/desktop-pools/script-execution-tasks/detail",
                        "showDesktopPoolsScriptExecTasks"),
                Map.entry("GET /v2/{project_id}/script-execution-records", "listScriptRecords"),
                Map.entry("GET /v2/{project_id}/script-execution-records/{record_id}", "showScriptRecordDetail"),
                Map.entry("POST /v2/{project_id}/scheduled-tasks", "createScheduledTasks"),
                Map.entry("GET /v2/{project_id}/scheduled-tasks", "listScheduledTasks"),
                Map.entry("GET /v2/{project_id}/scheduled-tasks/{task_id}", "showScheduledTasks"),
                Map.entry("PUT /v2/{project_id}/scheduled-tasks/{task_id}", "updateScheduledTasks"),
                Map.entry("DELETE /v2/{project_id}/scheduled-tasks/{task_id}", "deleteScheduledTasks"),
                Map.entry("POST /v2/{project_id}/scheduled-tasks/batch-delete", "batchDeleteScheduledTasks"),
                Map.entry("POST /v2/{project_id}/scheduled-tasks/future-executions", "listFutureExecutions"),
                Map.entry("GET /v2/{project_id}/scheduled-tasks/{task_id}/records", "listScheduledTasksRecords"),
                Map.entry("GET /v2/{project_id}/scheduled-tasks/{task_id}/records/{record_id}",
                        "listScheduledTasksRecordsDetails"));
        sdk.forEach((op, id) -> {
            String method = op.substring(0, op.indexOf(' '));
            assertEquals(id, operation(method, op.substring(method.length() + 1)).get("operationId"), op);
        });
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> operation(String method, String path) {
        Map<String, Object> item = paths().get(path);
        assertTrue(item != null && item.containsKey(method.toLowerCase()), "documented: " + method + " " + path);
        return (Map<String, Object>) item.get(method.toLowerCase());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> responses(Map<String, Object> operation) {
        return (Map<String, Object>) operation.get("responses");
    }

    private int streamStatus(String path) {
        try {
            java.net.http.HttpResponse<java.io.InputStream> response = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(server.getURI().resolve(path))
                            .header("X-Auth-Token", token(P)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofInputStream());
            response.body().close();
            return response.statusCode();
        } catch (java.io.IOException | InterruptedException e) {
            throw new AssertionError(path, e);
        }
    }

    private String idFor(String template, String name) {
        String scoped = (template.contains("/scheduled-tasks/") ? "scheduled-tasks/"
                : template.contains("/approvals/") ? "approvals/"
                : template.contains("/script-execution-records/") ? "execution-records/" : "") + name;
        String id = ids.getOrDefault(scoped, ids.get(name));
        if (id == null) {
            throw new AssertionError("no test id for {" + name + "} in " + template);
        }
        return id;
    }

    @Test
    @SuppressWarnings("unchecked")
    void documentDeclaresTheTokenAndSnakeCaseBodies() {
        Map<String, Object> components = (Map<String, Object>) document.get("components");
        Map<String, Object> scheme = ((Map<String, Map<String, Object>>) components.get("securitySchemes"))
                .get("X-Auth-Token");
        assertEquals(Map.of("type", "apiKey", "name", "X-Auth-Token", "in", "header"), scheme);
        assertEquals(null, document.get("security"), "not global: issuing a token needs none");
        assertTrue(paths().containsKey("/v3/auth/tokens"));
        paths().forEach((path, item) -> item.forEach((method, operation) -> {
            Object security = ((Map<String, Object>) operation).get("security");
            if (!path.equals("/v3/auth/tokens")) {
                assertEquals(List.of(Map.of("X-Auth-Token", List.of())), security, method + " " + path);
            } else {
                assertEquals(null, security, method + " " + path);
            }
        }));

        Map<String, Map<String, Object>> schemas = (Map<String, Map<String, Object>>) components.get("schemas");
        Set<String> properties = new TreeSet<>();
        schemas.values().forEach(s -> {
            Object props = s.get("properties");
            if (props instanceof Map<?, ?> map) {
                map.keySet().forEach(k -> properties.add((String) k));
            }
        });
        assertTrue(properties.containsAll(Set.of("task_id", "command_content", "gray_fail_threshold",
                "desktop_pool_id", "output_truncated")), properties.toString());
        Set<String> notSnake = properties.stream().filter(p -> !p.matches("[a-z][a-z0-9]*(_[a-z0-9]+)*"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of(), notSnake);
    }

    @Test
    void swaggerUiLoadsFromThisServerAlone() {
        HttpResponse<String> page = http.toBlocking().exchange(HttpRequest.GET("/swagger-ui/index.html"), String.class);
        assertEquals(200, page.code());
        assertEquals(MediaType.TEXT_HTML_TYPE, page.getContentType().orElseThrow());
        String html = page.body();
        assertTrue(html.contains("'" + DOCUMENT + "'"), "the UI shows our document");
        Matcher assets = Pattern.compile("\"(/swagger-ui/res/[^\"]+\\.(?:js|css))\"").matcher(html);
        List<String> found = new ArrayList<>();
        while (assets.find()) {
            found.add(assets.group(1));
        }
        assertTrue(found.contains("/swagger-ui/res/swagger-ui-bundle.js"), found.toString());
        for (String asset : found) {
            assertEquals(200, http.toBlocking().exchange(HttpRequest.GET(asset), byte[].class).code(), asset);
        }
        assertFalse(html.matches("(?s).*(src|href)=['\"]https?://.*"), "no CDN");
    }

    private static String withoutQuery(String template) {
        int query = template.indexOf("{?");
        return query < 0 ? template : template.substring(0, query);
    }
}
