package io.reloader.config;

/**
 * A workload kind declared with {@code --custom-workload-types}: {@code group/version/Kind[:path]}, the path of the
 * pod template defaulting to {@code spec.template} (dots or a JSON pointer). Its plural comes from discovery.
 */
public record CustomKindSpec(String group, String version, String kind, String templatePath) {
    public static final String DEFAULT_TEMPLATE_PATH = "/spec/template";

    /** @throws IllegalArgumentException saying what is wrong with the entry */
    public static CustomKindSpec parse(String text) {
        String entry = text.trim();
        String path = DEFAULT_TEMPLATE_PATH;
        int colon = entry.indexOf(':');
        if (colon >= 0) {
            path = pointer(entry.substring(colon + 1).trim(), text);
            entry = entry.substring(0, colon);
        }
        String[] parts = entry.split("/");
        if (parts.length != 3 || parts[0].isBlank() || parts[1].isBlank() || parts[2].isBlank()) {
            throw new IllegalArgumentException("'" + text + "' is not group/version/Kind[:path], e.g. "
                    + "apps.kruise.io/v1alpha1/CloneSet or example.com/v1/Thing:spec.podTemplate");
        }
        if (!Character.isUpperCase(parts[2].charAt(0))) {
            throw new IllegalArgumentException("'" + parts[2] + "' in '" + text + "' is not a Kind (they start with "
                    + "an upper-case letter, e.g. CloneSet)");
        }
        return new CustomKindSpec(parts[0], parts[1], parts[2], path);
    }

    private static String pointer(String path, String text) {
        if (path.isEmpty()) {
            throw new IllegalArgumentException("empty template path in '" + text + "'");
        }
        return path.startsWith("/") ? path : "/" + path.replace('.', '/');
    }

    public String apiVersion() {
        return group + "/" + version;
    }

    @Override
    public String toString() {
        return apiVersion() + "/" + kind;
    }
}
