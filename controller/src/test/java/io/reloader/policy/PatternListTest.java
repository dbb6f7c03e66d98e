package io.reloader.policy;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** What one reload-list value may cost, and what is reported when it asks for more. */
class PatternListTest {

    @Test
    void aPatternGoRejectsIsInvalidAndTheOtherItemsStillMatch() {
        PatternList list = assertTimeoutPreemptively(Duration.ofSeconds(2),
                () -> PatternList.parse("((a{1000}){1000}){1000}, app-.*"));
        assertThat(list.invalidItems()).singleElement().satisfies(i -> {
            assertThat(i.item()).isEqualTo("((a{1000}){1000}){1000}");
            assertThat(i.error()).startsWith("error parsing regexp: invalid repeat count");
        });
        assertThat(list.matches("app-config")).isTrue();
        assertThat(list.matches("a".repeat(1000))).isFalse();
    }

    @Test
    void programsOverTheBudgetAreTooLarge() {
        PatternList list = PatternList.parse("(?:abcdefghij){600},x");
        assertThat(list.invalidItems()).singleElement()
                .satisfies(i -> assertThat(i.error()).contains("expression too large"));
        assertThat(list.matches("x")).isTrue();
    }

    @Test
    void nestingTooDeepIsInvalid() {
        PatternList list = PatternList.parse("(".repeat(1500) + "a" + ")".repeat(1500));
        assertThat(list.invalidItems()).singleElement()
                .satisfies(i -> assertThat(i.error()).contains("expression nests too deeply"));
    }

    @Test
    void listsHoldAtMost256ItemsAndTheRestIsReportedOnce() {
        String value = IntStream.range(0, 1000).mapToObj(i -> "cm-" + i).collect(Collectors.joining(","));
        PatternList list = PatternList.parse(value);
        assertThat(list.matches("cm-255")).isTrue();
        assertThat(list.matches("cm-256")).isFalse();
        assertThat(list.invalidItems()).singleElement()
                .satisfies(i -> assertThat(i.error()).contains("more than 256 items"));
    }

    @Test
    void theCacheIsBoundedByBytes() {
        for (int i = 0; i < 3000; i++) {
            PatternList.parse("(?:v" + i + "){100}," + "x".repeat(2000) + i);
        }
        assertThat(PatternList.cachedBytes()).isLessThanOrEqualTo(PatternList.CACHE_BYTES);
        assertThat(PatternList.cachedBytes()).isGreaterThan(PatternList.CACHE_BYTES / 2);
    }
}
