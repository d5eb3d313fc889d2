package io.deskfleet.api.inventory;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.deskfleet.api.error.ApiException;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Body of {@code POST /v2/{project_id}/desktops/actions}. op_type: os-start|os-stop|reboot|os-hibernate;
 * type: SOFT|HARD (default SOFT).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record PowerActionRequest(List<String> desktopIds, String opType, String type) {
    public static final int MAX_DESKTOPS = 1000;

    public enum Operation {
        START("os-start"), STOP("os-stop"), REBOOT("reboot"), HIBERNATE("os-hibernate");

        private final String opType;

        Operation(String opType) {
            this.opType = opType;
        }

        public String opType() {
            return opType;
        }
    }

    /** The validated request: distinct desktop ids in request order, and the operation. */
    public record Validated(List<String> desktopIds, Operation operation) {
    }

    public Validated validate() {
        if (desktopIds == null || desktopIds.isEmpty() || desktopIds.size() > MAX_DESKTOPS) {
            throw ApiException.invalid("desktop_ids must list 1-" + MAX_DESKTOPS + " desktops.");
        }
        Set<String> ids = new LinkedHashSet<>();
        for (String id : desktopIds) {
            if (id == null || id.isEmpty() || id.length() > 64) {
                throw ApiException.invalid("desktop_ids must not contain empty ids.");
            }
            ids.add(id);
        }
        Operation operation = null;
        for (Operation o : Operation.values()) {
            if (o.opType().equals(opType)) {
                operation = o;
            }
        }
        if (operation == null) {
            throw ApiException.invalid("op_type must be one of os-start, os-stop, reboot, os-hibernate.");
        }
        if (type != null && !type.equals("SOFT") && !type.equals("HARD")) {
            throw ApiException.invalid("type must be SOFT or HARD.");
        }
        return new Validated(List.copyOf(ids), operation);
    }
}
