package io.podidentity.health;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * What must be true before the webhook takes traffic: each identity source synced, a serving
 * certificate loaded. Conditions register under a name; {@link #unmet()} lists the false ones.
 */
public final class Readiness {

    private final Map<String, BooleanSupplier> conditions = new ConcurrentHashMap<>();
    private volatile boolean shuttingDown;

    public void require(String name, BooleanSupplier condition) {
        conditions.put(name, condition);
    }

    /** From now on not ready, whatever the conditions: the process is on its way out. */
    public void shuttingDown() {
        shuttingDown = true;
    }

    public boolean isShuttingDown() {
        return shuttingDown;
    }

    /** Names of the conditions not met yet, sorted; empty when ready. */
    public List<String> unmet() {
        List<String> unmet = new ArrayList<>();
        conditions.forEach((name, condition) -> {
            if (!condition.getAsBoolean()) {
                unmet.add(name);
            }
        });
        unmet.sort(null);
        return unmet;
    }

    public boolean ready() {
        return !shuttingDown && unmet().isEmpty() && !conditions.isEmpty();
    }
}
