package io.reloader.policy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Go's regexp/syntax limits, with the verdicts Go 1.22 gives for these patterns. */
class GoRegexLimitsTest {

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "a{1000};",
            "a{1001};invalid repeat count",
            "(a{1000}){1000};invalid repeat count",
            "((a{1000}){1000}){1000};invalid repeat count",
            "(a{2}){500};",
            "(a{2}){501};invalid repeat count",
            "(?:a{30}){40};invalid repeat count",
            "(a{1000}){0};",
            "(a{10}){0,100};",
            "(a{10}){0,101};invalid repeat count",
            "(a*){1000};",
            "[a-z0-9-]{1,253};",
            "cm-(a|b|c)+;",
            "\\Qa{5000}\\E;",
            "[{]{1000};",
            "x{2,1};invalid repeat count",
            "(?i)abc;",
            "(?P<n>a){3};",
            "a{,5};",
    })
    void goVerdicts(String pattern, String error) {
        GoRegexLimits.Result r = GoRegexLimits.check(pattern);
        if (error == null) {
            assertThat(r.error()).isNull();
        } else {
            assertThat(r.error()).startsWith(error);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {"a;1", "abc;3", "a{1000};1000", "a{2,5};8", "a*;3", "(a);3", "a|b;3"})
    void sizesAreGoEstimates(String pattern, long size) {
        assertThat(GoRegexLimits.check(pattern).size()).isEqualTo(size);
    }

    @org.junit.jupiter.api.Test
    void deepNestingAndHugeProgramsAreRejected() {
        assertThat(GoRegexLimits.check("(".repeat(1001) + "a" + ")".repeat(1001)).error())
                .isEqualTo("expression nests too deeply");
        assertThat(GoRegexLimits.check("(".repeat(999) + "a" + ")".repeat(999)).ok()).isTrue();
        // 4,000 literals repeated 1,000 times: 4 million instructions, over Go's 3.3 million
        assertThat(GoRegexLimits.check("(?:" + "a".repeat(4000) + "){1000}").error()).isEqualTo("expression too large");
        assertThat(GoRegexLimits.check("(?:" + "a".repeat(3000) + "){1000}").ok()).isTrue();
    }
}
