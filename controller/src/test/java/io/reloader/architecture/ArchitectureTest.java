package io.reloader.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaFieldAccess;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.reloader.architecture.fixture.ListsTheKinds;
import io.reloader.architecture.fixture.NamesAKind;
import io.reloader.model.WorkloadKind;
import io.reloader.spec.KindRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.stream.Stream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The layout the README's architecture section describes: base packages at the bottom, the flow's stages on them
 * (each depending only on the base, never on another stage), the controller wiring the stages, the CLI on top; no
 * package cycles. The demo and the benchmark are in the tools module, which depends on this one.
 */
class ArchitectureTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.reloader");
    private static final String[] BASE = {"model", "spec", "kube", "config", "hash", "concurrent", "logging"};

    private static String[] packages(String... names) {
        return Arrays.stream(names).map(n -> "io.reloader." + n + "..").toArray(String[]::new);
    }

    private static String[] plus(String[] a, String... b) {
        return Stream.concat(Arrays.stream(a), Arrays.stream(b)).toArray(String[]::new);
    }

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("io.reloader.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void theModelIsPlainData() {
        noClasses().that().resideInAPackage("io.reloader.model..").should().dependOnClassesThat()
                .resideInAnyPackage(plus(packages("spec", "kube", "config", "hash", "concurrent", "logging", "watch",
                        "index", "queue", "policy", "strategy", "workload", "write", "report", "server", "controller",
                        "ha", "explain", "cli"), "io.fabric8.kubernetes.client..", "tools.jackson.."))
                .check(MAIN);
    }

    /** A base package uses only other base packages. */
    @ParameterizedTest
    @CsvSource({"spec", "kube", "config", "hash", "concurrent", "logging"})
    void basePackagesDependOnlyOnTheBase(String base) {
        noClasses().that().resideInAPackage("io.reloader." + base + "..").should().dependOnClassesThat()
                .resideInAnyPackage(packages("watch", "index", "queue", "policy", "strategy", "workload", "write",
                        "report", "server", "controller", "ha", "explain", "cli"))
                .check(MAIN);
    }

    /**
     * A stage of the flow depends on the base and on its own stage only; the controller connects the stages.
     * The act stage is strategy (what to change), workload (per-kind adapters) and write (sending it).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "watch     | watch",
            "index     | index",
            "queue     | queue",
            "policy    | policy",
            "strategy  | strategy",
            "workload  | workload strategy write",
            "write     | write",
            "report    | report",
            "server    | server",
    })
    void aStageDependsOnlyOnTheBaseAndItself(String stage, String allowed) {
        String[] others = Stream.of("watch", "index", "queue", "policy", "strategy", "workload", "write", "report",
                "server", "controller", "ha", "explain", "cli")
                .filter(p -> !Arrays.asList(allowed.split(" ")).contains(p)).toArray(String[]::new);
        ArchRule rule = noClasses().that().resideInAPackage("io.reloader." + stage + "..").should()
                .dependOnClassesThat().resideInAnyPackage(packages(others));
        rule.check(MAIN);
    }

    @Test
    void nothingButTheCliUsesTheCli() {
        noClasses().that().resideOutsideOfPackages("io.reloader.cli..").should().dependOnClassesThat()
                .resideInAnyPackage("io.reloader.cli..").check(MAIN);
    }

    /**
     * Settings are read once, into {@code Options}: the process environment and system properties are read only by
     * the entry point ({@code cli.Main}, which passes the environment as a map, so tests inject their own).
     */
    @Test
    void onlyTheEntryPointReadsTheEnvironment() {
        noClasses().that().doNotHaveFullyQualifiedName("io.reloader.cli.Main")
                .and().doNotHaveFullyQualifiedName("io.reloader.cli.ExplainCommand")
                .should().callMethod(System.class, "getenv")
                .orShould().callMethod(System.class, "getenv", String.class)
                .orShould().callMethod(System.class, "getProperty", String.class)
                .orShould().callMethod(System.class, "getProperty", String.class, String.class)
                .because("every flag and environment variable is read once, into Options").check(MAIN);
    }

    /** The in-process API server is test and tooling code: the controller never reaches for it. */
    @Test
    void theControllerDoesNotUseTheInProcessApiServer() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.fabric8.mockwebserver..",
                "io.fabric8.kubernetes.client.server.mock..", "okhttp3.mockwebserver..").check(MAIN);
    }

    /** Kind-specific code lives in the workload adapters: no other stage handles a typed workload class. */
    @Test
    void onlyTheAdaptersKnowTypedWorkloadKinds() {
        noClasses().that().resideOutsideOfPackages("io.reloader.workload..", "io.reloader.model..",
                        "io.reloader.cli..")
                .should().dependOnClassesThat().haveFullyQualifiedName("io.fabric8.kubernetes.api.model.apps.Deployment")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("io.fabric8.kubernetes.api.model.apps.StatefulSet")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("io.fabric8.kubernetes.api.model.apps.DaemonSet")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("io.fabric8.kubernetes.api.model.batch.v1.CronJob")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("io.fabric8.kubernetes.api.model.batch.v1.Job")
                .check(MAIN);
    }

    /**
     * Kinds are named only by their adapters: outside {@code workload} (and WorkloadKind itself, and the
     * KindRegistry that tells kinds of objects apart), no class reads a built-in kind's constant or lists the
     * built-in kinds; everything else asks the adapter (or the traits it registered) what its kind needs.
     */
    static final ArchRule ONLY_ADAPTERS_NAME_KINDS = noClasses()
            .that().resideOutsideOfPackage("io.reloader.workload..")
            .and().doNotHaveFullyQualifiedName(WorkloadKind.class.getName())
            .and().doNotHaveFullyQualifiedName(KindRegistry.class.getName())
            .should().accessFieldWhere(DescribedPredicate.describe("a WorkloadKind constant",
                    (JavaFieldAccess a) -> a.getTargetOwner().isEquivalentTo(WorkloadKind.class)
                            && a.getTarget().resolveMember().map(f -> f.getModifiers().contains(JavaModifier.STATIC))
                            .orElse(true)))
            .orShould().callMethod(WorkloadKind.class, "values");

    @Test
    void onlyTheAdaptersNameWorkloadKinds() {
        ONLY_ADAPTERS_NAME_KINDS.check(MAIN);
    }

    /** The rule is not vacuous: a class that reads a kind constant, or lists the kinds, breaks it. */
    @Test
    void theKindRuleCatchesAConstantAndTheList() {
        assertThat(ONLY_ADAPTERS_NAME_KINDS.evaluate(new ClassFileImporter().importClasses(NamesAKind.class))
                .getFailureReport().getDetails()).anySatisfy(d -> assertThat(d).contains("DEPLOYMENT"));
        assertThat(ONLY_ADAPTERS_NAME_KINDS.evaluate(new ClassFileImporter().importClasses(ListsTheKinds.class))
                .getFailureReport().getDetails()).anySatisfy(d -> assertThat(d).contains("values()"));
    }
}
