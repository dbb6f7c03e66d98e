package io.reloader.write;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

/** Every write names the field manager once; one named by the caller is left alone. */
class FieldManagerInterceptorTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "https://api/apis/apps/v1/namespaces/ns/deployments/web|https://api/apis/apps/v1/namespaces/ns/deployments/web?fieldManager=Reloader",
            "https://api/api/v1/namespaces/ns/events?dryRun=All|https://api/api/v1/namespaces/ns/events?dryRun=All&fieldManager=Reloader",
            "https://api/x?fieldManager=flux|https://api/x?fieldManager=flux",
            "https://api/x?a=1&fieldManager=argo|https://api/x?a=1&fieldManager=argo",
            "https://api/x?notfieldManager=1|https://api/x?notfieldManager=1&fieldManager=Reloader",
    })
    void addsTheFieldManagerUnlessNamed(String uri, String expected) {
        assertThat(FieldManagerInterceptor.withFieldManager(URI.create(uri), "Reloader")).hasToString(expected);
    }

    @ParameterizedTest
    @CsvSource({"my manager,my+manager", "Reloader,Reloader"})
    void encodesTheName(String manager, String encoded) {
        assertThat(FieldManagerInterceptor.withFieldManager(URI.create("https://api/x"), manager).getRawQuery())
                .isEqualTo("fieldManager=" + encoded);
    }
}
