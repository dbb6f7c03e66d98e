package io.reloader.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Integration tests that run the controller against a fresh in-process API server each. */
abstract class HarnessIT {
    protected ControllerHarness h;

    @BeforeEach
    void startApiServer() {
        h = new ControllerHarness();
    }

    @AfterEach
    void stopApiServer() {
        h.close();
    }
}
