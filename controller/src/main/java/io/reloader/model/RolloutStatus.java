package io.reloader.model;

/**
 * Where a workload's rollout stands, by kstatus's rules ({@code sigs.k8s.io/cli-utils/pkg/kstatus}, the ones
 * {@code kubectl rollout status} applies), as its adapter reads it from the object's status.
 *
 * @param state   Current, InProgress, Stalled, or WaitingForPodDeletion (updateStrategy OnDelete)
 * @param reason  a short CamelCase reason (kstatus's, or the controller's condition reason), never null
 * @param message what the status says, for people (counts, the condition's message), never null
 * @param updated pods that run the current template, or -1 when the kind does not say
 * @param desired pods the workload wants, or -1 when the kind does not say
 */
public record RolloutStatus(State state, String reason, String message, int updated, int desired) {

    public enum State {
        CURRENT("Current"), IN_PROGRESS("InProgress"), STALLED("Stalled"),
        WAITING_FOR_POD_DELETION("WaitingForPodDeletion");

        private final String text;

        State(String text) {
            this.text = text;
        }

        /** The name kstatus prints. */
        public String text() {
            return text;
        }
    }

    public static RolloutStatus current(String message, int updated, int desired) {
        return new RolloutStatus(State.CURRENT, "Current", message, updated, desired);
    }

    public static RolloutStatus inProgress(String reason, String message, int updated, int desired) {
        return new RolloutStatus(State.IN_PROGRESS, reason, message, updated, desired);
    }

    public static RolloutStatus stalled(String reason, String message, int updated, int desired) {
        return new RolloutStatus(State.STALLED, reason, message, updated, desired);
    }

    public boolean isCurrent() {
        return state == State.CURRENT;
    }
}
