package io.reloader.it;

import io.fabric8.kubernetes.api.model.APIGroupBuilder;
import io.fabric8.kubernetes.api.model.APIGroupListBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.reloader.cli.ClusterEnvironmentProbe;
import io.reloader.report.ReloaderMetrics;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The start-up line says {@code Environment: Openshift} when the server serves apps.openshift.io, as Reloader's. */
class ClusterEnvironmentIT extends HarnessIT {

    @Test
    void openShiftIsToldByItsApiGroup() throws Exception {
        try (ReloaderMetrics metrics = new ReloaderMetrics();
             KubernetesClient client = ControllerHarness.controllerClient(h.server, "Reloader", metrics, Map.of())) {
            assertThat(ClusterEnvironmentProbe.describe(client)).isEqualTo("Kubernetes");
            h.server.expect().get().withPath("/apis").andReturn(200, new APIGroupListBuilder().addToGroups(
                    new APIGroupBuilder().withName("apps").build(), new APIGroupBuilder().withName("apps.openshift.io")
                            .addNewVersion().withGroupVersion("apps.openshift.io/v1").withVersion("v1").endVersion()
                            .build()).build()).always();
            assertThat(ClusterEnvironmentProbe.describe(client)).isEqualTo("Openshift");
        }
    }
}
