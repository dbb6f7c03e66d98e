package io.reloader.config;

/** The {@code --reload-strategy} values. */
public enum ReloadStrategyType {
    ENV_VARS("env-vars"),
    ANNOTATIONS("annotations");

    private final String flagValue;

    ReloadStrategyType(String flagValue) {
        this.flagValue = flagValue;
    }

    public String flagValue() {
        return flagValue;
    }

    /** Returns the strategy for a flag value, or null when the value is not one of the allowed ones. */
    public static ReloadStrategyType fromFlag(String value) {
        for (ReloadStrategyType t : values()) {
            if (t.flagValue.equals(value)) {
                return t;
            }
        }
        return null;
    }
}
