package io.reloader.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Integration tests that run the controller against a fresh in-process API server each. */
abstract class HarnessIT {
    protected ControllerHarness h;

    @BeforeEach
    void startApiServer() {
        h = new ControllerHarness(https());
    }

    /** Whether the API server speaks TLS; plain HTTP unless a test needs what only TLS shows. */
    protected boolean https() {
        return false;
    }

    @AfterEach
    void stopApiServer() {
        h.close();
    }
}
