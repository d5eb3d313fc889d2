package io.deskfleet.controlplane.refusal;

import io.deskfleet.api.validation.Fields;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The one refusal for ids a request names that are not among those allowed: gray desktop ids against the targets,
 * desktop_ids against a pool, resource_ids against the project, script_ids against the stored scripts. One wording
 * for all of them, so a client can read every such 400 the same way.
 */
public final class Subset {

    private Subset() {
    }

    /**
     * Refuses ids outside {@code allowed} as an invalid argument naming the field and listing (up to 20 of) the
     * offending ids.
     */
    public static void require(String field, Collection<String> requested, Set<String> allowed, String problem) {
        List<String> outside = requested.stream().filter(id -> !allowed.contains(id)).toList();
        if (!outside.isEmpty()) {
            throw Refusal.invalid(field + ": " + problem + ": " + Fields.sample(outside)).asException();
        }
    }
}
