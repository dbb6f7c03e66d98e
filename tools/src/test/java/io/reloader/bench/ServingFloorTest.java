package io.reloader.bench;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The serving floor reads every page of every list the controller reads at start, as the server serves them. */
class ServingFloorTest {
    @Test
    void everyPageOfEveryListIsRead() throws Exception {
        ScaledCrudDispatcher api = new ScaledCrudDispatcher();
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                api, false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        try {
            Population p = new Population(1_200, 512, 501, 256, 20, 3, 0, 0);
            long loaded = new PopulationLoader(p, api, new Random(3)).load(new HashMap<>());

            Map<String, Object> floor = ServingFloor.measure(server.url("/"));

            assertThat(floor.get("pagesByList")).isEqualTo(Map.of("/api/v1/secrets", 3L, "/api/v1/configmaps", 2L,
                    "/apis/apps/v1/deployments", 1L));
            assertThat(((Number) floor.get("bytes")).longValue()).isGreaterThan(loaded / 2);
            assertThat(((Number) floor.get("seconds")).doubleValue()).isPositive();
        } finally {
            server.destroy();
        }
    }
}
