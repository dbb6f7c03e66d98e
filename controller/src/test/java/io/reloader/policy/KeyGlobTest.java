package io.reloader.policy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import net.jqwik.api.constraints.Chars;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class KeyGlobTest {

    @ParameterizedTest
    @CsvSource({"a*,abc,true", "*c,abc,true", "a*c,abc,true", "a*c,ac,true", "a*c,ab,false", "*,'',true",
            "a*b*a,aba,true", "a*b*a,ab,false", "ab*ba,aba,false", "feature-*,feature-x,true", "x,x,true",
            "x,y,false", "*a*a*b,aaab,true", "*a*a*b,aab,true", "*a*a*b,ab,false", "a**b,ab,true"})
    void matches(String pattern, String key, boolean expected) {
        assertThat(KeyGlob.matches(pattern, key)).isEqualTo(expected);
    }

    @Test
    void aHostilePatternAgainstA250CharacterKeyIsLinear() {
        String key = "a".repeat(250);
        assertTimeoutPreemptively(Duration.ofMillis(200), () -> {
            for (int i = 0; i < 10_000; i++) {
                assertThat(KeyGlob.matches("*a*a*a*a*a*a*a*a*b", key)).isFalse();
            }
        });
    }

    @Property
    void agreesWithTheRegexItReplaces(@ForAll @StringLength(max = 6) @Chars({'a', 'b', '*'}) String pattern,
                                      @ForAll @StringLength(max = 8) @Chars({'a', 'b'}) String key) {
        StringBuilder re = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            re.append(c == '*' ? ".*" : Pattern.quote(String.valueOf(c)));
        }
        assertThat(KeyGlob.matches(pattern, key)).isEqualTo(Pattern.compile(re.toString()).matcher(key).matches());
    }
}
