package io.reloader.model;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The cause appended to Reloader's Event and alert messages: its format, its bounds and how a burst merges. */
class ReloadCauseTest {

    @Test
    void keysAreSortedAndTheManagerFollows() {
        assertThat(ReloadCause.of(List.of("b", "a"), "kubectl-edit").suffix())
                .isEqualTo(" (keys: a, b; by: kubectl-edit)");
    }

    @Test
    void aPartNotKnownIsLeftOutAndNothingKnownAddsNothing() {
        assertThat(ReloadCause.of(List.of("a"), null).suffix()).isEqualTo(" (keys: a)");
        assertThat(ReloadCause.of(null, "helm").suffix()).isEqualTo(" (by: helm)");
        assertThat(ReloadCause.of(List.of(), "").suffix()).isEmpty();
        assertThat(ReloadCause.UNKNOWN.suffix()).isEmpty();
    }

    @Test
    void aBurstListsTheKeysAndManagersOfEveryMergedChange() {
        ReloadCause first = ReloadCause.of(List.of("db.url"), "kubectl-edit");
        ReloadCause second = ReloadCause.of(List.of("api.key", "db.url"), "helm");
        assertThat(first.and(second).suffix()).isEqualTo(" (keys: api.key, db.url; by: helm, kubectl-edit)");
        assertThat(first.and(ReloadCause.UNKNOWN)).isEqualTo(first);
        assertThat(ReloadCause.UNKNOWN.and(second)).isEqualTo(second);
    }

    @Test
    void manyKeysAreCountedNotListed() {
        List<String> keys = IntStream.range(0, 25).mapToObj(i -> String.format("k%02d", i)).toList();
        ReloadCause cause = ReloadCause.of(keys, "m");
        assertThat(cause.keys()).hasSize(ReloadCause.MAX_KEYS).first().isEqualTo("k00");
        assertThat(cause.keyList()).endsWith("k19 and 5 more");
        ReloadCause merged = cause.and(ReloadCause.of(List.of("a"), "m"));
        assertThat(merged.keys()).hasSize(ReloadCause.MAX_KEYS).first().isEqualTo("a");
        assertThat(merged.omittedKeys()).isGreaterThanOrEqualTo(5);
    }

    @Test
    void mergingAChangeKeepsTheLaterStateAndBothCauses() {
        SourceRef ref = new SourceRef(SourceType.CONFIGMAP, "ns", "cfg");
        SourceChange earlier = new SourceChange(ref, ChangeType.UPDATED, "h1", false, false, null, java.util.Set.of("a"),
                ReloadCause.of(List.of("a"), "kubectl-edit"));
        SourceChange later = new SourceChange(ref, ChangeType.UPDATED, "h2", true, false, null, java.util.Set.of("b"),
                ReloadCause.of(List.of("b"), "helm"));
        SourceChange merged = SourceChange.merge(earlier, later);
        assertThat(merged.hash()).isEqualTo("h2");
        assertThat(merged.ignored()).isTrue();
        assertThat(merged.changedKeys()).as("reports only (the decision reads state): both changes' keys")
                .containsExactlyInAnyOrder("a", "b");
        assertThat(merged.cause().keys()).containsExactly("a", "b");
        assertThat(merged.cause().managers()).containsExactly("helm", "kubectl-edit");
        assertThat(merged.withHash("x").cause()).isEqualTo(merged.cause());
    }
}
