package io.reloader.workload;

import java.util.List;

/**
 * One RBAC need of a kind: the verbs the controller calls on a resource of an API group (docs/rbac.md), for
 * example {@code apps deployments [list, watch, get, patch]}.
 */
public record ApiAccess(String group, String resource, List<String> verbs) {
    public ApiAccess {
        verbs = List.copyOf(verbs);
    }
}
