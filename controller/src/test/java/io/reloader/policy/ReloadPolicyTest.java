package io.reloader.policy;

import io.fabric8.kubernetes.api.model.PodSpec;
import io.reloader.config.AnnotationKeys;
import io.reloader.model.Decision;
import io.reloader.model.SourceChange;
import io.reloader.model.SourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.stream.Stream;

import static io.reloader.policy.Fixtures.change;
import static io.reloader.policy.Fixtures.cmChange;
import static io.reloader.policy.Fixtures.envFromSpec;
import static io.reloader.policy.Fixtures.workload;
import static org.assertj.core.api.Assertions.assertThat;

/** The decision order of docs/compatibility.md#decision-order and the quirks of docs/compatibility.md#quirks-kept, one row per rule. */
class ReloadPolicyTest {
    private static final String AUTO = "reloader.stakater.com/auto";
    private static final String CM_AUTO = "configmap.reloader.stakater.com/auto";
    private static final String SECRET_AUTO = "secret.reloader.stakater.com/auto";
    private static final String CM_RELOAD = "configmap.reloader.stakater.com/reload";
    private static final String SECRET_RELOAD = "secret.reloader.stakater.com/reload";
    private static final String SEARCH = "reloader.stakater.com/search";
    private static final String CM_EXCLUDE = "configmaps.exclude.reloader.stakater.com/reload";

    private static final Decision RELOAD_AUTO = new Decision.Reload(Decision.Rule.AUTO, "app");
    private static final Decision RELOAD_TYPED = new Decision.Reload(Decision.Rule.TYPED_AUTO, "app");
    private static final Decision RELOAD_ALL = new Decision.Reload(Decision.Rule.AUTO_RELOAD_ALL, "app");
    private static final Decision RELOAD_SEARCH = new Decision.Reload(Decision.Rule.SEARCH, "app");
    private static final Decision RELOAD_NAMED = new Decision.Reload(Decision.Rule.NAMED, "app");
    private static final Decision NOT_ANNOTATED = new Decision.Skip(Decision.SkipReason.NOT_ANNOTATED);

    record Row(String name, Map<String, String> meta, Map<String, String> template, PodSpec spec,
               SourceChange change, boolean autoReloadAll, Decision expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> rows() {
        PodSpec refsCfg = envFromSpec("cfg", null);
        PodSpec refsNothing = envFromSpec(null, null);
        PodSpec refsSecret = envFromSpec(null, "sec");
        SourceChange cfg = cmChange("cfg");
        return Stream.of(
                new Row("auto true + reference", Map.of(AUTO, "true"), Map.of(), refsCfg, cfg, false, RELOAD_AUTO),
                new Row("auto Go-bool 1", Map.of(AUTO, "1"), Map.of(), refsCfg, cfg, false, RELOAD_AUTO),
                new Row("auto tRUE is not a bool", Map.of(AUTO, "tRUE"), Map.of(), refsCfg, cfg, false, NOT_ANNOTATED),
                new Row("auto needs a reference", Map.of(AUTO, "true"), Map.of(), refsNothing, cfg, false,
                        new Decision.Skip(Decision.SkipReason.NO_CONTAINER)),
                new Row("no annotation", Map.of(), Map.of(), refsCfg, cfg, false, NOT_ANNOTATED),
                new Row("typed auto for ConfigMaps", Map.of(CM_AUTO, "true"), Map.of(), refsCfg, cfg, false, RELOAD_TYPED),
                new Row("secret typed auto ignores ConfigMaps", Map.of(SECRET_AUTO, "true"), Map.of(), refsCfg, cfg,
                        false, NOT_ANNOTATED),
                new Row("auto-reload-all still applies with only a secret typed key", Map.of(SECRET_AUTO, "true"),
                        Map.of(), refsCfg, cfg, true, RELOAD_ALL),
                new Row("auto-reload-all", Map.of(), Map.of(), refsCfg, cfg, true, RELOAD_ALL),
                new Row("auto false opts out of auto-reload-all", Map.of(AUTO, "false"), Map.of(), refsCfg, cfg, true,
                        NOT_ANNOTATED),
                new Row("non-bool auto opts out of auto-reload-all", Map.of(AUTO, "my-configmap,my-secret"), Map.of(),
                        refsCfg, cfg, true, NOT_ANNOTATED),
                new Row("typed auto false opts out for its type", Map.of(CM_AUTO, "false"), Map.of(), refsCfg, cfg,
                        true, NOT_ANNOTATED),
                new Row("named without reference", Map.of(CM_RELOAD, "cfg"), Map.of(), refsNothing, cfg, false,
                        RELOAD_NAMED),
                new Row("named list trimmed", Map.of(CM_RELOAD, "other, cfg "), Map.of(), refsNothing, cfg, false,
                        RELOAD_NAMED),
                new Row("named is anchored", Map.of(CM_RELOAD, "cf"), Map.of(), refsNothing, cfg, false, NOT_ANNOTATED),
                new Row("named regex", Map.of(CM_RELOAD, "c.*"), Map.of(), refsNothing, cfg, false, RELOAD_NAMED),
                new Row("named dot is a wildcard", Map.of(CM_RELOAD, "app.cfg"), Map.of(), envFromSpec(null, null),
                        cmChange("app-cfg"), false, RELOAD_NAMED),
                new Row("alternation anchors each side", Map.of(CM_RELOAD, "x|fg"), Map.of(), refsNothing, cfg, false,
                        RELOAD_NAMED),
                new Row("invalid item skipped, later item matches", Map.of(CM_RELOAD, "(,cfg"), Map.of(), refsNothing,
                        cfg, false, RELOAD_NAMED),
                new Row("secret reload key ignored for ConfigMaps", Map.of(SECRET_RELOAD, "cfg"), Map.of(), refsCfg,
                        cfg, false, NOT_ANNOTATED),
                new Row("search + match", Map.of(SEARCH, "true"), Map.of(), refsCfg,
                        change(SourceType.CONFIGMAP, "cfg", false, true), false, RELOAD_SEARCH),
                new Row("search without match", Map.of(SEARCH, "true"), Map.of(), refsCfg, cfg, false, NOT_ANNOTATED),
                new Row("search True is not exact", Map.of(SEARCH, "True"), Map.of(), refsCfg,
                        change(SourceType.CONFIGMAP, "cfg", false, true), false, NOT_ANNOTATED),
                new Row("search needs a reference", Map.of(SEARCH, "true"), Map.of(), refsNothing,
                        change(SourceType.CONFIGMAP, "cfg", false, true), false,
                        new Decision.Skip(Decision.SkipReason.NO_CONTAINER)),
                new Row("ignore on the source beats named", Map.of(CM_RELOAD, "cfg"), Map.of(), refsCfg,
                        change(SourceType.CONFIGMAP, "cfg", true, false), false,
                        new Decision.Skip(Decision.SkipReason.SOURCE_IGNORED)),
                new Row("exclude beats named and auto", Map.of(CM_RELOAD, "cfg", AUTO, "true", CM_EXCLUDE, "x, cfg"),
                        Map.of(), refsCfg, cfg, false, new Decision.Skip(Decision.SkipReason.EXCLUDED)),
                new Row("exclude is exact, not a pattern", Map.of(AUTO, "true", CM_EXCLUDE, "c.*"), Map.of(), refsCfg,
                        cfg, false, RELOAD_AUTO),
                new Row("exclude on the template is ignored", Map.of(AUTO, "true"), Map.of(CM_EXCLUDE, "cfg"), refsCfg,
                        cfg, false, RELOAD_AUTO),
                new Row("template used when metadata has no key for the type", Map.of(SECRET_AUTO, "true"),
                        Map.of(CM_RELOAD, "cfg"), refsNothing, cfg, false, RELOAD_NAMED),
                new Row("metadata wins, never mixed", Map.of(AUTO, "false"), Map.of(AUTO, "true"), refsCfg, cfg, false,
                        NOT_ANNOTATED),
                new Row("empty metadata value still selects metadata", Map.of(CM_RELOAD, ""), Map.of(AUTO, "true"),
                        refsCfg, cfg, false, NOT_ANNOTATED),
                new Row("template only", Map.of(), Map.of(AUTO, "true"), refsCfg, cfg, false, RELOAD_AUTO),
                new Row("secret auto + secret reference", Map.of(SECRET_AUTO, "true"), Map.of(), refsSecret,
                        change(SourceType.SECRET, "sec", false, false), false, RELOAD_TYPED),
                new Row("same name, other type is unrelated", Map.of(AUTO, "true"), Map.of(), refsSecret,
                        cmChange("sec"), false, new Decision.Skip(Decision.SkipReason.NO_CONTAINER))
        ).map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void decides(Row row) {
        ReloadPolicy policy = new ReloadPolicy(AnnotationKeys.defaults(), row.autoReloadAll());
        Verdict verdict = policy.decide(row.change(), workload(row.meta(), row.template(), row.spec()));
        assertThat(verdict.decision()).isEqualTo(row.expected());
    }

    @Test
    void invalidPatternItemsAreReportedWithReloadersText() {
        ReloadPolicy policy = new ReloadPolicy(AnnotationKeys.defaults(), false);
        Verdict verdict = policy.decide(cmChange("cfg"), workload(Map.of(CM_RELOAD, "a(,cfg"), Map.of(),
                envFromSpec(null, null)));
        assertThat(verdict.reload()).isTrue();
        assertThat(verdict.invalidPatterns()).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo(CM_RELOAD);
            assertThat(p.message()).startsWith("invalid regex \"a(\" in reload annotation \"" + CM_RELOAD + "\": ");
        });
    }

    @Test
    void renamedKeysAreHonoured() {
        AnnotationKeys keys = new AnnotationKeys("custom/auto", "c/cm-auto", "c/s-auto", "c/cm", "c/s", "c/search",
                "c/match", "c/ignore", "c/pause", "c/paused");
        ReloadPolicy policy = new ReloadPolicy(keys, false);
        assertThat(policy.decide(cmChange("cfg"), workload(Map.of("custom/auto", "true"), Map.of(),
                envFromSpec("cfg", null))).reload()).isTrue();
        assertThat(policy.decide(cmChange("cfg"), workload(Map.of(AUTO, "true"), Map.of(),
                envFromSpec("cfg", null))).reload()).isFalse();
    }
}
