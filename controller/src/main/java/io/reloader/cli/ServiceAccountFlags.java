package io.reloader.cli;

import io.reloader.config.ServiceAccountOptions;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Project extension, mixed into the controller's flags: roll workloads when their ServiceAccount's identity changes. */
final class ServiceAccountFlags {
    static final String RELOAD_FLAG = "--reload-on-serviceaccount-change";
    static final String ANNOTATIONS_FLAG = "--serviceaccount-annotations";
    /** More would not be a list of identity annotations; bounds what is hashed per ServiceAccount. */
    static final int MAX_ANNOTATIONS = 32;
    /** A qualified name's name part (apimachinery's IsQualifiedName): at most 63 characters. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
    /** Its optional prefix: a DNS subdomain of at most 253 characters. */
    private static final Pattern PREFIX = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    @Option(names = RELOAD_FLAG, description = "Watch ServiceAccounts and roll the workloads that run as one "
            + "(pod template serviceAccountName, unset: default) and reload automatically (auto, --auto-reload-all) "
            + "when one of the --serviceaccount-annotations is added, changed or removed")
    boolean reloadOnServiceAccountChange;

    @Option(names = ANNOTATIONS_FLAG, paramLabel = "LIST", description = "The ServiceAccount annotations that "
            + "roll workloads with " + RELOAD_FLAG + "; nothing else of a ServiceAccount is kept (default: "
            + "eks.amazonaws.com/role-arn,azure.workload.identity/client-id,iam.gke.io/gcp-service-account)")
    List<String> annotations = new ArrayList<>();

    ServiceAccountOptions toOptions() {
        List<String> given = GoFlagArgs.csvAll(annotations);
        if (annotations.isEmpty()) {
            return new ServiceAccountOptions(reloadOnServiceAccountChange, ServiceAccountOptions.DEFAULT_ANNOTATIONS);
        }
        Set<String> keys = new LinkedHashSet<>();
        for (String item : given) {
            String key = item.trim();
            if (!key.isEmpty() && !validKey(key)) {
                throw new FlagException("invalid " + ANNOTATIONS_FLAG + " entry '" + key + "': expected annotation "
                        + "keys such as eks.amazonaws.com/role-arn ([DNS subdomain/]name, name at most 63 characters "
                        + "of A-Z, a-z, 0-9, '-', '_', '.'), comma-separated");
            }
            if (!key.isEmpty()) {
                keys.add(key);
            }
        }
        if (keys.isEmpty()) {
            throw new FlagException(ANNOTATIONS_FLAG + " must name at least one annotation key, e.g. "
                    + String.join(",", ServiceAccountOptions.DEFAULT_ANNOTATIONS));
        }
        if (keys.size() > MAX_ANNOTATIONS) {
            throw new FlagException(ANNOTATIONS_FLAG + " accepts at most " + MAX_ANNOTATIONS + " annotation keys, not "
                    + keys.size());
        }
        return new ServiceAccountOptions(reloadOnServiceAccountChange, List.copyOf(keys));
    }

    /** An annotation key as the API server accepts it: {@code [prefix/]name}. */
    static boolean validKey(String key) {
        int slash = key.indexOf('/');
        String name = slash < 0 ? key : key.substring(slash + 1);
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            if (prefix.isEmpty() || prefix.length() > 253 || !PREFIX.matcher(prefix).matches()) {
                return false;
            }
        }
        return NAME.matcher(name).matches();
    }
}
