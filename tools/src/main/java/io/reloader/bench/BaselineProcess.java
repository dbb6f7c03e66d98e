package io.reloader.bench;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The baselines the benchmark runs in JVMs of their own, started exactly like the controller:
 * <ul>
 *   <li>{@code informers}: plain fabric8 informers caching whole Secrets, ConfigMaps and Deployments, what a
 *   client-go controller such as Reloader keeps;</li>
 *   <li>{@code bare}: a watch→patch loop that knows which workload each ConfigMap belongs to and does nothing
 *   else, the lower bound of latency.</li>
 * </ul>
 * Prints {@code READY} once its caches are synced, then runs until killed.
 */
public final class BaselineProcess {
    static final String INFORMERS_AGENT = "benchmark-baseline-informers";
    static final String BARE_AGENT = "benchmark-bare-loop";
    static final String READY = "READY";

    private BaselineProcess() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        boolean bare = args[1].equals("bare");
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl(url)
                .withUserAgent(bare ? BARE_AGENT : INFORMERS_AGENT).withRequestTimeout(120_000).build();
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
        if (bare) {
            bareLoop(client, Path.of(args[2]));
        } else {
            client.secrets().inAnyNamespace().withLimit(500L).inform();
            client.configMaps().inAnyNamespace().withLimit(500L).inform();
            client.apps().deployments().inAnyNamespace().withLimit(500L).inform();
        }
        System.out.println(READY);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    /** ConfigMap name → workload, from lines "cm workload". */
    private static void bareLoop(KubernetesClient c, Path mapping) throws Exception {
        Map<String, String> workloadByCm = new HashMap<>();
        for (String line : Files.readAllLines(mapping)) {
            String[] f = line.split(" ");
            workloadByCm.put(f[0], f[1]);
        }
        PatchContext merge = PatchContext.of(PatchType.JSON_MERGE);
        c.configMaps().inAnyNamespace().withLimit(500L).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(ConfigMap obj) {
            }

            @Override
            public void onUpdate(ConfigMap o, ConfigMap n) {
                String w = workloadByCm.get(n.getMetadata().getName());
                String value = n.getData() == null ? null : n.getData().get("bare");
                if (w != null && value != null && !value.equals(o.getData() == null ? null : o.getData().get("bare"))) {
                    c.apps().deployments().inNamespace(n.getMetadata().getNamespace()).withName(w)
                            .patch(merge, "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":"
                                    + "{\"bare\":\"" + value + "\"}}}}}");
                }
            }

            @Override
            public void onDelete(ConfigMap obj, boolean unknown) {
            }
        });
    }
}
