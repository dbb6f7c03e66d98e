package io.reloader.policy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.reloader.hash.SourceHasher;
import io.reloader.model.ChangeType;
import io.reloader.model.KeyDigests;
import io.reloader.model.SourceChange;
import io.reloader.model.SourceRef;
import io.reloader.model.SourceType;
import io.reloader.model.WorkloadKey;
import io.reloader.model.WorkloadKind;
import io.reloader.spec.KeyReferences;
import io.reloader.spec.WorkloadView;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Which keys a workload reads, and how a change is scoped to them. */
class KeyScopeTest {
    private static final SourceRef CFG = new SourceRef(SourceType.CONFIGMAP, "ns", "cfg");
    private static final SourceHasher HASHER = SourceHasher.reloaderCompatible();

    private static WorkloadView view(Map<String, String> annotations, PodSpec spec) {
        return new WorkloadView(new WorkloadKey(WorkloadKind.DEPLOYMENT, "ns", "web"), annotations, Map.of(), spec);
    }

    private static KeyDigests digests(Map<String, String> data) {
        return HASHER.keysOfConfigMap(new ConfigMapBuilder().withData(data).build());
    }

    @Test
    void keyReferencesFromEnvItemsProjectionsAndSubPaths() {
        PodSpec spec = new PodSpecBuilder()
                .addNewInitContainer().withName("init").addNewEnv().withName("X").withNewValueFrom()
                .withNewConfigMapKeyRef().withName("cfg").withKey("init-key").endConfigMapKeyRef().endValueFrom().endEnv()
                .endInitContainer()
                .addNewContainer().withName("app").addNewVolumeMount().withName("proj").withMountPath("/p").endVolumeMount()
                .addNewVolumeMount().withName("sub").withMountPath("/s/x.conf").withSubPath("x.conf").endVolumeMount()
                .endContainer()
                .addNewVolume().withName("proj").withNewProjected().addNewSource().withNewConfigMap().withName("cfg")
                .addNewItem().withKey("projected-key").withPath("p").endItem().endConfigMap().endSource().endProjected().endVolume()
                .addNewVolume().withName("sub").withNewConfigMap().withName("cfg").endConfigMap().endVolume()
                .build();
        assertThat(KeyReferences.of(spec, SourceType.CONFIGMAP, "cfg"))
                .contains(Set.of("init-key", "projected-key", "x.conf"));
        assertThat(KeyReferences.of(spec, SourceType.CONFIGMAP, "other")).isEmpty();
        assertThat(KeyReferences.of(spec, SourceType.SECRET, "cfg")).isEmpty();
        PodSpec whole = new PodSpecBuilder(spec).editFirstContainer().addNewEnvFrom().withNewConfigMapRef().withName("cfg")
                .endConfigMapRef().endEnvFrom().endContainer().build();
        assertThat(KeyReferences.of(whole, SourceType.CONFIGMAP, "cfg")).as("envFrom reads every key").isEmpty();
    }

    @Test
    void aChangeOfAnotherKeyIsSkippedAndOfAFollowedKeyGetsAKeyScopedHash() {
        PodSpec readsA = new PodSpecBuilder().addNewContainer().withName("app").addNewEnv().withName("A").withNewValueFrom()
                .withNewConfigMapKeyRef().withName("cfg").withKey("a").endConfigMapKeyRef().endValueFrom().endEnv()
                .endContainer().build();
        KeyDigests before = digests(Map.of("a", "1", "b", "1"));
        KeyDigests bChanged = digests(Map.of("a", "1", "b", "2"));
        KeyDigests aChanged = digests(Map.of("a", "2", "b", "2"));
        KeyScope on = new KeyScope(true);
        SourceChange b = new SourceChange(CFG, ChangeType.UPDATED, "h2", false, false, bChanged, bChanged.changedFrom(before));
        assertThat(on.scope(b, view(Map.of(), readsA))).isEmpty();
        SourceChange a = new SourceChange(CFG, ChangeType.UPDATED, "h3", false, false, aChanged, aChanged.changedFrom(bChanged));
        Optional<SourceChange> scoped = on.scope(a, view(Map.of(), readsA));
        assertThat(scoped).get().extracting(SourceChange::hash).asString().startsWith("keys:")
                .isEqualTo(on.expectedHash(view(Map.of(), readsA), CFG, "h3", aChanged));
        assertThat(new KeyScope(false).scope(b, view(Map.of(), readsA))).contains(b);
        assertThat(on.scope(b, view(Map.of("reloader.stakater.com/referenced-keys-only", "false"), readsA))).contains(b);
        assertThat(new KeyScope(false).scope(b, view(Map.of("reloader.stakater.com/referenced-keys-only", "true"), readsA)))
                .isEmpty();
    }

    @Test
    void explicitKeysWithPatternsForEnvFrom() {
        PodSpec envFrom = new PodSpecBuilder().addNewContainer().withName("app").addNewEnvFrom().withNewConfigMapRef()
                .withName("cfg").endConfigMapRef().endEnvFrom().endContainer().build();
        WorkloadView listed = view(Map.of("reloader.stakater.com/keys", "cfg/db-*, other/x"), envFrom);
        KeyScope on = new KeyScope(true);
        assertThat(on.followed(listed, CFG)).contains(List.of("db-*"));
        KeyDigests before = digests(Map.of("db-host", "h", "log", "info"));
        KeyDigests logChanged = digests(Map.of("db-host", "h", "log", "debug"));
        KeyDigests dbChanged = digests(Map.of("db-host", "h2", "log", "debug"));
        assertThat(on.scope(new SourceChange(CFG, ChangeType.UPDATED, "x", false, false, logChanged,
                logChanged.changedFrom(before)), listed)).isEmpty();
        assertThat(on.scope(new SourceChange(CFG, ChangeType.UPDATED, "y", false, false, dbChanged,
                dbChanged.changedFrom(logChanged)), listed)).isPresent();
        assertThat(on.followed(view(Map.of(), envFrom), CFG)).as("envFrom without a list: every key").isEmpty();
    }

    @Test
    void secretKeysAreDigestedFromTheDecodedValueLikeConfigMapText() {
        KeyDigests secret = HASHER.keysOfSecret(new SecretBuilder().withData(Map.of("password",
                Base64.getEncoder().encodeToString("s3cr3t".getBytes()))).build());
        assertThat(secret).isEqualTo(digests(Map.of("password", "s3cr3t")));
        assertThat(secret.toString()).doesNotContain("s3cr3t");
    }

    @Test
    void invalidAnnotationsAreReported() {
        assertThat(KeyScope.lint(view(Map.of("reloader.stakater.com/referenced-keys-only", "yes please",
                "reloader.stakater.com/keys", "cfg/a, justakey"), new PodSpec())))
                .extracting(p -> p.key()).containsExactly("reloader.stakater.com/referenced-keys-only",
                        "reloader.stakater.com/keys");
    }
}
