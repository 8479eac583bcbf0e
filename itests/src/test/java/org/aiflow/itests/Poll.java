package org.aiflow.itests;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

/**
 * Bounded polling inside the container, where Awaitility (used by the unit tests) is not a bundle
 * we want to install: checks a condition every 50 ms until it holds or the time is up.
 */
final class Poll {
    private Poll() {
    }

    static void until(Duration atMost, String what, Callable<Boolean> condition) {
        long deadline = System.nanoTime() + atMost.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (Boolean.TRUE.equals(condition.call())) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
        throw new AssertionError("not true within " + atMost.toSeconds() + " s: " + what, last);
    }
}
