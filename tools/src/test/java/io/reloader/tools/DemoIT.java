package io.reloader.tools;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's first command: the tools jar's demo shows a reload; the controller jar points there. */
class DemoIT {
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @Test
    void theToolsJarsDemoShowsAReload() throws Exception {
        Result r = run(List.of(JAVA, "-jar", "target/reloader-tools.jar", "demo"));
        assertThat(r.exit).as(r.out).isZero();
        assertThat(r.out).contains("STAKATER_APP_CONFIG_CONFIGMAP=")
                .contains("Reloaded: the Deployment's pod template changed");
    }

    @Test
    void theControllerJarHasNoDemoAndSaysWhereItIs() throws Exception {
        Result r = run(List.of(JAVA, "-jar", "target/reloader.jar", "demo"));
        assertThat(r.exit).isEqualTo(2);
        assertThat(r.out).contains("java -jar target/reloader-tools.jar demo");
    }

    private record Result(int exit, String out) {
    }

    private static Result run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
