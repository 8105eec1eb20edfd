package io.podidentity.health;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * What must be true before the webhook takes traffic: each identity source synced, a serving
 * certificate loaded. Conditions register under a name at startup; {@link #problem()} says why the
 * webhook is not ready, and {@code /readyz} and {@code /q/health/ready} both answer from it.
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

    /**
     * Why the webhook must not take traffic now, or empty when it may. Before the startup observers
     * registered anything, nothing has been loaded yet: that is "starting", not ready.
     */
    public Optional<String> problem() {
        if (shuttingDown) {
            return Optional.of("shutting down");
        }
        if (conditions.isEmpty()) {
            return Optional.of("starting");
        }
        List<String> unmet = unmet();
        return unmet.isEmpty() ? Optional.empty() : Optional.of("waiting for " + String.join(", ", unmet));
    }

    public boolean ready() {
        return problem().isEmpty();
    }
}
