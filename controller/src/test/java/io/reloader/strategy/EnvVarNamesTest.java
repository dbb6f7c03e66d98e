package io.reloader.strategy;

import io.reloader.model.SourceType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class EnvVarNamesTest {

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
            "my-app.config, CONFIGMAP, STAKATER_MY_APP_CONFIG_CONFIGMAP",
            "db-creds, SECRET, STAKATER_DB_CREDS_SECRET",
            "a--b..c, CONFIGMAP, STAKATER_A_B_C_CONFIGMAP",
            "1st.cfg, CONFIGMAP, STAKATER_1ST_CFG_CONFIGMAP",
            "vault-db, SECRETPROVIDERCLASS, STAKATER_VAULT_DB_SECRETPROVIDERCLASS",
            "app-config, CONFIGMAP, STAKATER_APP_CONFIG_CONFIGMAP",
            "app.config, CONFIGMAP, STAKATER_APP_CONFIG_CONFIGMAP",
            "-lead, CONFIGMAP, STAKATER_LEAD_CONFIGMAP",
            "trail-, SECRET, STAKATER_TRAIL__SECRET",
            "ünï, CONFIGMAP, STAKATER_N__CONFIGMAP",
            "app, SERVICEACCOUNT, STAKATER_APP_SERVICEACCOUNT",
            "default, SERVICEACCOUNT, STAKATER_DEFAULT_SERVICEACCOUNT",
            "my-sa.v2, SERVICEACCOUNT, STAKATER_MY_SA_V2_SERVICEACCOUNT",
    })
    void mangles(String name, SourceType type, String expected) {
        assertThat(EnvVarNames.of(name, type)).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void findsSourcesSharingAVariable() {
        var refs = java.util.List.of(new io.reloader.spec.References.Ref(SourceType.CONFIGMAP, "app-config"),
                new io.reloader.spec.References.Ref(SourceType.CONFIGMAP, "app.config"),
                new io.reloader.spec.References.Ref(SourceType.SECRET, "app-config"),
                new io.reloader.spec.References.Ref(SourceType.CONFIGMAP, "other"));
        assertThat(EnvVarNames.collisions(refs)).containsOnly(
                java.util.Map.entry("STAKATER_APP_CONFIG_CONFIGMAP", java.util.List.of("app-config", "app.config")));
    }
}
