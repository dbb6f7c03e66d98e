package io.reloader.controller;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StartupHoldTest {
    @Test
    void holdsUntilReleasedThenPassesEverythingOnInOrder() {
        List<String> passed = new ArrayList<>();
        StartupHold<String> hold = new StartupHold<>(passed::add);
        hold.accept("a");
        hold.accept("b");
        assertThat(passed).isEmpty();

        hold.release();
        hold.accept("c");
        hold.release(); // a second release changes nothing

        assertThat(passed).containsExactly("a", "b", "c");
    }
}
