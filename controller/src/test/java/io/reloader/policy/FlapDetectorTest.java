package io.reloader.policy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Sequences of a source's hashes and times against the flap rule: flapping, held, settled. */
class FlapDetectorTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private static Instant at(double seconds) {
        return T0.plusMillis((long) (seconds * 1000));
    }

    /**
     * Runs a sequence of {@code HASH@SECONDS} steps on one source whose data starts as {@code A}, and returns
     * the verdict of each step.
     */
    private static List<String> run(FlapDetector<String> d, String steps) {
        List<String> verdicts = new ArrayList<>();
        String prior = "A";
        for (String step : steps.trim().split("\\s+")) {
            String[] p = step.split("@");
            verdicts.add(d.changed("cm", prior, p[0], "m-" + p[0], at(Double.parseDouble(p[1]))).name());
            prior = p[0];
        }
        return verdicts;
    }

    @ParameterizedTest(name = "{0} within {1}s -> {2}")
    @CsvSource(delimiter = '|', value = {
            // steps from A                | window s | verdicts
            "B@1                            | 10 | ROLL",
            "B@1 A@2                        | 10 | ROLL ROLL",                          // one revert: a rollback
            "B@1 A@2 B@3                    | 10 | ROLL ROLL STARTED",                  // the second return flaps
            "B@1 A@2 B@3 A@4 B@5            | 10 | ROLL ROLL STARTED HELD HELD",
            "B@1 C@2 D@3 E@4 F@5 G@6 H@7 I@8 | 10 | ROLL ROLL ROLL ROLL ROLL ROLL ROLL ROLL", // new versions never flap
            "B@1 A@2 C@3                    | 10 | ROLL ROLL ROLL",
            "B@1 A@2 C@3 A@4                | 10 | ROLL ROLL ROLL STARTED",             // a second return to A
            "B@1 C@2 A@3 C@4                | 10 | ROLL ROLL ROLL STARTED",             // A→B→C→A→C
            // the window: a version left longer ago than the window no longer counts
            "B@1 A@2 B@13                   | 10 | ROLL ROLL ROLL",                     // B was left 11 s before
            "B@1 A@2 B@11                   | 10 | ROLL ROLL STARTED",                  // A left exactly 10 s before
            "B@1 A@2 B@12                   | 10 | ROLL ROLL ROLL",                     // the first return is too old
            "B@1 A@20 B@21                  | 10 | ROLL ROLL ROLL",                     // A's first stay is forgotten
            "B@1 A@20 B@21 A@22             | 10 | ROLL ROLL ROLL STARTED",
            "B@1 A@1.5 B@2                  | 1  | ROLL ROLL STARTED",
            "B@1 A@3 B@5                    | 1  | ROLL ROLL ROLL",
    })
    void flapsOnTheSecondReturnWithinTheWindow(String steps, long windowSeconds, String verdicts) {
        FlapDetector<String> d = new FlapDetector<>(Duration.ofSeconds(windowSeconds), 8, 100);
        assertThat(run(d, steps)).containsExactly(verdicts.trim().split("\\s+"));
    }

    @ParameterizedTest(name = "last change at {0}s, asked at {1}s -> settled {2}")
    @CsvSource({
            "3, 12.9, false, 13",
            "3, 13, true, ",
            "3, 60, true, ",
    })
    void aHoldEndsWhenTheSourceStayedUnchangedForTheWindow(double last, double asked, boolean settled, Double until) {
        FlapDetector<String> d = new FlapDetector<>(Duration.ofSeconds(10), 8, 100);
        run(d, "B@1 A@2 B@" + last);
        assertThat(d.holds("cm")).isTrue();
        FlapDetector.Settle s = d.settle("cm", at(asked));
        assertThat(s.settled()).isEqualTo(settled);
        assertThat(s.until()).isEqualTo(until == null ? null : at(until));
        assertThat(d.holds("cm")).isEqualTo(!settled);
        assertThat(d.flappingCount()).isEqualTo(settled ? 0 : 1);
    }

    @Test
    void aChangeWhileHeldPushesTheEndOfTheHold() {
        FlapDetector<String> d = new FlapDetector<>(Duration.ofSeconds(10), 8, 100);
        run(d, "B@1 A@2 B@3 A@8");
        assertThat(d.settle("cm", at(13)).until()).isEqualTo(at(18));
        assertThat(d.holdEnds("cm")).isEqualTo(at(18));
        assertThat(d.settle("cm", at(18)).settled()).isTrue();
    }

    @Test
    void afterSettlingItTakesTwoReturnsAgainToFlap() {
        FlapDetector<String> d = new FlapDetector<>(Duration.ofSeconds(10), 8, 100);
        run(d, "B@1 A@2 B@3");
        assertThat(d.settle("cm", at(13)).settled()).isTrue();
        assertThat(d.changed("cm", "B", "A", null, at(14))).isEqualTo(FlapDetector.Verdict.ROLL);
        assertThat(d.changed("cm", "A", "B", null, at(15))).isEqualTo(FlapDetector.Verdict.ROLL);
        assertThat(d.changed("cm", "B", "A", null, at(16))).isEqualTo(FlapDetector.Verdict.STARTED);
    }

    @Test
    void namesTheManagersOfTheAlternatingVersions() {
        FlapDetector<String> d = new FlapDetector<>(Duration.ofSeconds(10), 8, 100);
        d.changed("s", "A", "B", "cert-manager-a", at(1));
        d.changed("s", "B", "A", "cert-manager-b", at(2));
        d.changed("s", "A", "B", "cert-manager-a", at(3));
        assertThat(d.managers("s")).containsExactly("cert-manager-a", "cert-manager-b");
    }

    @Test
    void aDeletedSourceIsNoLongerHeld() {
        FlapDetector<String> d = new FlapDetector<>(Duration.ofSeconds(10), 8, 100);
        run(d, "B@1 A@2 B@3");
        assertThat(d.forget("cm")).isTrue();
        assertThat(d.flappingCount()).isZero();
        assertThat(d.settle("cm", at(20))).isEqualTo(new FlapDetector.Settle(false, null));
    }

    @Test
    void memoryIsBounded() {
        FlapDetector<String> d = new FlapDetector<>(Duration.ofSeconds(10), 4, 3);
        for (int i = 0; i < 1000; i++) {
            d.changed("cm-" + i, "A", "B", null, at(1));
        }
        assertThat(d.tracked()).isEqualTo(3);
        // sources that last changed before the window are forgotten at the next change
        d.changed("late", "A", "B", null, at(20));
        assertThat(d.tracked()).isEqualTo(1);
    }

    @Test
    void heldSourcesAreKeptWhenTheTableIsFullAndANewSourceThenRolls() {
        FlapDetector<String> d = new FlapDetector<>(Duration.ofSeconds(10), 4, 2);
        for (String s : List.of("x", "y")) {
            d.changed(s, "A", "B", null, at(1));
            d.changed(s, "B", "A", null, at(1));
            d.changed(s, "A", "B", null, at(1));
        }
        assertThat(d.flapping()).containsExactlyInAnyOrder("x", "y");
        assertThat(d.changed("z", "A", "B", null, at(2))).isEqualTo(FlapDetector.Verdict.ROLL);
        assertThat(d.changed("z", "B", "A", null, at(2))).isEqualTo(FlapDetector.Verdict.ROLL);
        assertThat(d.changed("z", "A", "B", null, at(2))).isEqualTo(FlapDetector.Verdict.ROLL);
        assertThat(d.flapping()).containsExactlyInAnyOrder("x", "y");
    }

    @Test
    void aLongFlapKeepsOnlyTheLastVersions() {
        FlapDetector<String> d = new FlapDetector<>(Duration.ofSeconds(10), 4, 10);
        StringBuilder steps = new StringBuilder();
        for (int i = 1; i <= 200; i++) {
            steps.append(i % 2 == 1 ? "B@" : "A@").append(i * 0.01).append(' ');
        }
        List<String> verdicts = run(d, steps.toString());
        assertThat(verdicts.subList(0, 3)).containsExactly("ROLL", "ROLL", "STARTED");
        assertThat(verdicts.subList(3, 200)).containsOnly("HELD");
        assertThat(d.flappingCount()).isEqualTo(1);
    }
}
