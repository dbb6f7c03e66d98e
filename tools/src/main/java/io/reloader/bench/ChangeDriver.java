package io.reloader.bench;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's client: changes ConfigMaps and sees, by polling, when a workload's pod template changed. The same
 * measurement serves the controller and the bare loop.
 */
final class ChangeDriver {
    private final KubernetesClient driver;
    private final Population population;
    /** workload name → the ConfigMaps it references (namespace-local names). */
    private final Map<String, List<String>> references;

    ChangeDriver(KubernetesClient driver, Population population, Map<String, List<String>> references) {
        this.driver = driver;
        this.population = population;
        this.references = references;
    }

    /** Workload i lives in namespace i modulo the namespace count. */
    String namespaceOf(String workload) {
        return Benchmark.ns(Integer.parseInt(workload.substring("workload-".length())) % population.namespaces());
    }

    /**
     * Changes every source of each workload, workload after workload, while another thread polls: the time from a
     * workload's first change to its template changing, per workload, in milliseconds.
     */
    List<Long> burst(List<String> workloads) throws InterruptedException {
        Map<String, String> before = new ConcurrentHashMap<>();
        for (String workload : workloads) {
            before.put(workload, template(namespaceOf(workload), workload));
        }
        Map<String, Long> started = new ConcurrentHashMap<>();
        List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread poller = new Thread(() -> {
            Set<String> pending = new HashSet<>(workloads);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!pending.isEmpty() && System.nanoTime() < deadline) {
                for (String workload : List.copyOf(pending)) {
                    Long start = started.get(workload);
                    if (start != null && !template(namespaceOf(workload), workload).equals(before.get(workload))) {
                        latencies.add((System.nanoTime() - start) / 1_000_000);
                        pending.remove(workload);
                    }
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "benchmark-burst-poller");
        poller.start();
        for (String workload : workloads) {
            String ns = namespaceOf(workload);
            started.put(workload, System.nanoTime());
            for (String cm : references.get(workload).stream().distinct().toList()) {
                driver.configMaps().inNamespace(ns).withName(cm).edit(x -> new ConfigMapBuilder(x)
                        .addToData("burst", workload).build());
            }
        }
        poller.join();
        return new ArrayList<>(latencies);
    }

    /** Workloads with 2 or more sources that share no source with each other, so each burst is its own. */
    List<String> burstWorkloads(List<String> candidates) {
        Set<String> used = new HashSet<>();
        List<String> out = new ArrayList<>();
        for (String w : candidates) {
            String ns = namespaceOf(w);
            List<String> cms = references.get(w).stream().distinct().map(cm -> ns + "/" + cm).toList();
            if (cms.size() >= 2 && cms.stream().noneMatch(used::contains)) {
                used.addAll(cms);
                out.add(w);
                if (out.size() == population.bursts()) {
                    break;
                }
            }
        }
        return out;
    }

    /**
     * Sets {@code key} in a ConfigMap and returns the milliseconds until a client polling the workload sees its
     * template change; the same measurement for the controller and the bare loop.
     */
    long changeAndWait(String ns, String cm, String workload, String key, String value)
            throws InterruptedException {
        String before = template(ns, workload);
        long start = System.nanoTime();
        driver.configMaps().inNamespace(ns).withName(cm)
                .edit(x -> new ConfigMapBuilder(x).addToData(key, value).build());
        long deadline = start + TimeUnit.SECONDS.toNanos(60);
        while (template(ns, workload).equals(before)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no reload of " + workload + " within 60 s");
            }
            Thread.sleep(2);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    private String template(String ns, String workload) {
        return String.valueOf(driver.apps().deployments().inNamespace(ns).withName(workload).get().getSpec()
                .getTemplate());
    }

}
