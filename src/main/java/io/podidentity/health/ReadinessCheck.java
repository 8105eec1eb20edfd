package io.podidentity.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** The same readiness as {@code /readyz}, for SmallRye Health's {@code /q/health/ready}. */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {

    private final io.podidentity.health.Readiness readiness;

    public ReadinessCheck(io.podidentity.health.Readiness readiness) {
        this.readiness = readiness;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("pod-identity-webhook")
                .status(readiness.ready())
                .withData("waitingFor", String.join(", ", readiness.unmet()))
                .build();
    }
}
