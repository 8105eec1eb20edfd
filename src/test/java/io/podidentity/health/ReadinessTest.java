package io.podidentity.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ReadinessTest {

    @Test
    void nothingRegisteredYetIsStartingNotReady() {
        Readiness readiness = new Readiness();
        assertEquals(Optional.of("starting"), readiness.problem());
        assertFalse(readiness.ready());
    }

    @Test
    void namesEveryUnmetConditionSortedUntilAllHold() {
        Readiness readiness = new Readiness();
        AtomicBoolean synced = new AtomicBoolean();
        AtomicBoolean certificate = new AtomicBoolean();
        readiness.require("serving certificate", certificate::get);
        readiness.require("informer sync", synced::get);
        assertEquals(Optional.of("waiting for informer sync, serving certificate"), readiness.problem());

        certificate.set(true);
        assertEquals(List.of("informer sync"), readiness.unmet());
        assertEquals(Optional.of("waiting for informer sync"), readiness.problem());

        synced.set(true);
        assertEquals(Optional.empty(), readiness.problem());
        assertTrue(readiness.ready());
    }

    @Test
    void shuttingDownWinsOverEverythingAndStays() {
        Readiness readiness = new Readiness();
        readiness.require("objects file", () -> true);
        readiness.shuttingDown();
        assertEquals(Optional.of("shutting down"), readiness.problem());
        assertFalse(readiness.ready());
    }
}
