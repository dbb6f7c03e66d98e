package io.reloader.strategy;

import io.reloader.model.SourceType;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** Reloader's env var naming as properties over arbitrary (also non-ASCII) source names. */
class EnvVarNameProperties {

    @Property(tries = 500)
    void theNameIsAValidEnvVarWithOneUnderscorePerRunOfOtherCharacters(
            @ForAll @StringLength(max = 40) String source, @ForAll SourceType type) {
        String name = EnvVarNames.of(source, type);
        assertThat(name).startsWith("STAKATER_").endsWith("_" + type.name()).matches("[A-Z0-9_]+");
        String mangled = EnvVarNames.mangle(source);
        assertThat(mangled).doesNotContain("__").doesNotStartWith("_");
        String kept = source.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "");
        assertThat(mangled.replace("_", "")).as("letters and digits kept in order").isEqualTo(kept);
    }

    @Property(tries = 200)
    void namesThatDifferOnlyInPunctuationCollide(@ForAll @StringLength(min = 1, max = 20) String base) {
        String a = base.replaceAll("[^a-z0-9]", "") + "-config";
        String b = base.replaceAll("[^a-z0-9]", "") + ".config";
        assertThat(EnvVarNames.of(a, SourceType.CONFIGMAP)).isEqualTo(EnvVarNames.of(b, SourceType.CONFIGMAP));
    }
}
