package io.deskfleet.controlplane.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deskfleet.controlplane.auth.Caller;
import io.deskfleet.controlplane.auth.SdkSignature;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.web.router.RouteAttributes;
import io.micronaut.web.router.UriRouteMatch;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Stores an audit event for every state-changing call (anything but GET, HEAD and OPTIONS) of the REST API: with a
 * token, signed with an access key, from the web page or the CLI (they all call the API), logins and failed logins
 * included. Ordered before the auth filter, so a call the auth filter refuses is recorded too. The event is written
 * in the response filter, on a blocking thread, before the response goes out: an acknowledged call has its event.
 */
@ServerFilter({"/v2/**", "/v3/**", "/v3.0/**"})
public class AuditFilter implements Ordered {
    static final String LOGIN_PATH = "/v3/auth/tokens";
    private static final String BODY = "deskfleet.audit.body";

    private final AuditTrail trail;
    private final ObjectMapper json;
    private final Clock clock;

    public AuditFilter(AuditTrail trail, ObjectMapper json, Clock clock) {
        this.trail = trail;
        this.json = json;
        this.clock = clock;
    }

    @RequestFilter
    public void keepBody(HttpRequest<?> request, @Nullable @Body byte[] body) {
        if (changesState(request.getMethod()) && body != null) {
            request.setAttribute(BODY, body);
        }
    }

    @ResponseFilter
    @ExecuteOn(TaskExecutors.BLOCKING)
    public void record(HttpRequest<?> request, MutableHttpResponse<?> response) {
        if (!changesState(request.getMethod())) {
            return;
        }
        byte[] body = request.getAttribute(BODY, byte[].class).orElse(null);
        JsonNode answer = answerOf(response);
        int status = response.code();
        boolean login = request.getPath().equals(LOGIN_PATH);
        Actor actor = login ? loginActor(body, answer, status) : AuditTrail.actorOf(request);

        List<String> targets = new ArrayList<>();
        String operation = request.getMethodName() + " " + request.getPath();
        Optional<UriRouteMatch<?, ?>> route = routeOf(request);
        if (route.isPresent()) {
            operation = request.getMethodName() + " " + template(route.get());
            route.get().getVariableValues().forEach((name, value) -> {
                if (!name.equals("project_id") && value != null) {
                    targets.add(value.toString());
                }
            });
        }
        if (!login) {
            targets.addAll(RequestSummary.targetIds(body));
            if (status < 400) {
                targets.addAll(RequestSummary.targetIds(answer));
            }
        }
        String errorCode = answer != null && answer.path("error_code").isTextual()
                ? answer.get("error_code").asText() : null;
        trail.record(new AuditEvent(projectOf(request, body), clock.instant(), actor,
                AuditTrail.clientAddress(request), operation, targets, RequestSummary.of(body),
                status < 400 ? AuditEvent.Outcome.SUCCESS : AuditEvent.Outcome.FAILURE, status, errorCode));
    }

    /** The response body as JSON, for its ids and error code; null when it has none or is not JSON-shaped. */
    private JsonNode answerOf(MutableHttpResponse<?> response) {
        try {
            return response.getBody().map(b -> (JsonNode) json.valueToTree(b)).orElse(null);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The access key a request was signed with, if it was. */
    static Optional<String> accessKeyOf(HttpRequest<?> request) {
        return SdkSignature.parse(request.getHeaders().get("Authorization"))
                .map(SdkSignature.Authorization::accessKey);
    }

    private static boolean changesState(HttpMethod method) {
        return method != HttpMethod.GET && method != HttpMethod.HEAD && method != HttpMethod.OPTIONS;
    }

    /** A login: the user it issued a token to, or, refused, the name it claimed. */
    private static Actor loginActor(byte[] body, JsonNode answer, int status) {
        String claimed = RequestSummary.loginUserName(body).orElse(null);
        if (status >= 400 || answer == null) {
            return new Actor(Actor.Type.ANONYMOUS, null, claimed, null, null, null);
        }
        JsonNode token = answer.path("token");
        return new Actor(Actor.Type.USER, token.path("user").path("id").asText(null),
                token.path("user").path("name").asText(claimed), null,
                token.path("roles").path(0).path("name").asText(null), null);
    }

    /** The path's project, else the caller's or the one a login or signed call names; null when none. */
    private static String projectOf(HttpRequest<?> request, byte[] body) {
        String path = request.getPath();
        if (path.startsWith("/v2/")) {
            String rest = path.substring("/v2/".length());
            int slash = rest.indexOf('/');
            return slash < 0 ? rest : rest.substring(0, slash);
        }
        Optional<String> caller = Caller.current(request).map(Caller::projectId);
        if (caller.isPresent()) {
            return caller.get();
        }
        if (path.equals(LOGIN_PATH)) {
            return RequestSummary.parse(body).map(j -> j.path("auth").path("scope").path("project").path("id"))
                    .filter(JsonNode::isTextual).map(JsonNode::asText).orElse(null);
        }
        return request.getHeaders().get("X-Project-Id");
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Optional<UriRouteMatch<?, ?>> routeOf(HttpRequest<?> request) {
        return RouteAttributes.getRouteMatch(request).filter(m -> m instanceof UriRouteMatch)
                .map(m -> (UriRouteMatch<?, ?>) (UriRouteMatch) m);
    }

    /** The route as written, without the /v2/{project_id} every project path starts with. */
    static String template(UriRouteMatch<?, ?> route) {
        String template = route.getRouteInfo().getUriMatchTemplate().toString();
        return template.startsWith("/v2/{project_id}") ? template.substring("/v2/{project_id}".length()) : template;
    }

    @Override
    public int getOrder() {
        // before AuthFilter (HIGHEST_PRECEDENCE + 100): its refusals pass through this filter's response part
        return HIGHEST_PRECEDENCE + 50;
    }
}
