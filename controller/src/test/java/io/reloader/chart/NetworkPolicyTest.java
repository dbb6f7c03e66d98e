package io.reloader.chart;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The NetworkPolicy lets the controller do its work: reach the API server on the ports it listens on (443 at the
 * Service, often 6443 at the endpoint a CNI matches), resolve webhook and alert hosts, and be scraped on its
 * metrics port by the peers given; and nothing else by default.
 */
class NetworkPolicyTest {

    private static NetworkPolicy policy(String netpol) {
        return (NetworkPolicy) ChartRender.only(ChartRender.template("rel", "ns",
                "reloader:\n  netpol:\n    enabled: true\n" + netpol), "NetworkPolicy");
    }

    private static List<String> ports(NetworkPolicyEgressRule rule) {
        return rule.getPorts().stream().map(NetworkPolicyPortView::of).toList();
    }

    private record NetworkPolicyPortView() {
        static String of(NetworkPolicyPort p) {
            return p.getProtocol() + "/" + (p.getPort().getIntVal() != null ? p.getPort().getIntVal() : p.getPort().getStrVal());
        }
    }

    @Test
    void byDefaultTheApiServerOnBothPortsAndDnsOverUdpAndTcpToAnyPeer() {
        NetworkPolicy np = policy("");
        assertThat(np.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
        assertThat(np.getSpec().getEgress()).hasSize(2);
        assertThat(ports(np.getSpec().getEgress().get(0))).containsExactly("TCP/443", "TCP/6443");
        assertThat(np.getSpec().getEgress().get(0).getTo()).isEmpty();
        assertThat(ports(np.getSpec().getEgress().get(1))).containsExactly("UDP/53", "TCP/53");
        assertThat(np.getSpec().getEgress().get(1).getTo()).isEmpty();
        assertThat(np.getSpec().getIngress()).singleElement().satisfies(i -> {
            assertThat(i.getPorts()).singleElement().satisfies(p -> assertThat(p.getPort().getStrVal()).isEqualTo("http"));
            assertThat(i.getFrom()).isEmpty();
        });
    }

    @Test
    void theApiServerPortsDnsPeersAndMetricsPeersAreConfigurable() {
        NetworkPolicy np = policy("    apiServerPorts: [8443]\n"
                + "    to: [{ipBlock: {cidr: 10.0.0.1/32}}]\n"
                + "    dns:\n      to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}},"
                + " podSelector: {matchLabels: {k8s-app: kube-dns}}}]\n"
                + "    from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}}]\n"
                + "    extraEgress: [{ports: [{port: 8080, protocol: TCP}], to: [{ipBlock: {cidr: 192.0.2.10/32}}]}]\n");
        List<NetworkPolicyEgressRule> egress = np.getSpec().getEgress();
        assertThat(egress).hasSize(3);
        assertThat(ports(egress.get(0))).containsExactly("TCP/8443");
        assertThat(egress.get(0).getTo()).singleElement().satisfies(t -> assertThat(t.getIpBlock().getCidr())
                .isEqualTo("10.0.0.1/32"));
        assertThat(egress.get(1).getTo()).singleElement().satisfies(t -> {
            assertThat(t.getPodSelector().getMatchLabels()).containsEntry("k8s-app", "kube-dns");
            assertThat(t.getNamespaceSelector().getMatchLabels()).containsEntry("kubernetes.io/metadata.name", "kube-system");
        });
        assertThat(ports(egress.get(2))).containsExactly("TCP/8080");
        assertThat(np.getSpec().getIngress().get(0).getFrom()).singleElement().satisfies(f ->
                assertThat(f.getNamespaceSelector().getMatchLabels()).containsEntry("kubernetes.io/metadata.name", "monitoring"));
    }

    @Test
    void dnsCanBeTurnedOff() {
        assertThat(policy("    dns: {enabled: false}\n").getSpec().getEgress()).singleElement()
                .satisfies(e -> assertThat(ports(e)).containsExactly("TCP/443", "TCP/6443"));
    }

    @Test
    void noPolicyUnlessEnabled() {
        assertThat(ChartRender.template("rel", "ns", "{}")).noneMatch(o -> o.getKind().equals("NetworkPolicy"));
    }
}
