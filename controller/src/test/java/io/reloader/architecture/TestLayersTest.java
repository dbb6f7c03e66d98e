package io.reloader.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * A test's name says its layer (README "Tests"): a {@code *Test} (or jqwik {@code *Properties}) touches no server
 * and starts no process; whatever does is an {@code *IT} (in-process servers) or {@code *E2E} (a real cluster).
 */
class TestLayersTest {
    private static final JavaClasses TESTS = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.ONLY_INCLUDE_TESTS).importPackages("io.reloader");

    @Test
    void unitTestsStartNoServerAndNoProcess() {
        noClasses().that().haveSimpleNameEndingWith("Test").or().haveSimpleNameEndingWith("Properties")
                .should().dependOnClassesThat().haveFullyQualifiedName(
                        "io.fabric8.kubernetes.client.server.mock.KubernetesMockServer")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("com.sun.net.httpserver.HttpServer")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.ProcessBuilder")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("io.vertx.core.Vertx")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("io.reloader.server.HttpEndpoints")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("io.reloader.it.ControllerHarness")
                .orShould().callMethod(Thread.class, "sleep", long.class)
                .because("a *Test is a unit test: servers and processes belong in *IT, time in an injected clock")
                .check(TESTS);
    }
}
