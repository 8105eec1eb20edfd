package io.podidentity.e2e;

import java.nio.file.Path;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts one {@link ControlPlane} for the whole test run, however many test classes use it, and
 * hands it to constructors and methods that declare a {@code ControlPlane} parameter. It lives in
 * the root store, which JUnit closes once every test class has run, failed or not.
 */
public final class ControlPlaneExtension implements BeforeAllCallback, ParameterResolver {

    /** State of the run: {@code target/e2e/controlplane}, kept after the run for its logs. */
    static final Path DIR = Path.of("target", "e2e", "controlplane").toAbsolutePath();

    @Override
    public void beforeAll(ExtensionContext context) {
        controlPlane(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == ControlPlane.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return controlPlane(context);
    }

    private static ControlPlane controlPlane(ExtensionContext context) {
        return context.getRoot()
                .getStore(ExtensionContext.Namespace.create(ControlPlaneExtension.class))
                // An AutoCloseable value of the root store is closed by JUnit at the end of the run.
                .computeIfAbsent("control-plane", key -> ControlPlane.start(DIR), ControlPlane.class);
    }
}
