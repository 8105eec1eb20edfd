package io.podidentity.server;

import com.oracle.svm.core.annotate.Alias;
import com.oracle.svm.core.annotate.Substitute;
import com.oracle.svm.core.annotate.TargetClass;
import java.util.Objects;

/**
 * The native executable's resource lookups, made as fast as a map lookup should be. GraalVM 25
 * keys its resource table by a record of module and name, and the record's generated
 * {@code equals} runs through the method-handle interpreter there. Every class-path lookup by
 * name ({@code ClassLoader.getResources}, each {@code ServiceLoader}, SmallRye Config's
 * {@code application.properties}, the TLS registry trying the certificate's path on the class
 * path before the file system) asks that table once per module of the boot layer, and each probe
 * compares keys with that {@code equals}. In a profile of the native start this was a third of
 * the main thread's time. This {@code equals} means the same: the same module, the same name.
 * The hash code is left alone (the table was laid out with it when the image was built), and it
 * is not where the time went.
 */
@TargetClass(className = "com.oracle.svm.core.jdk.Resources$ModuleInstanceResourceKey")
final class ResourceKeyEquality {

    @Alias
    private Module module;

    @Alias
    private String resource;

    @Substitute
    @Override
    public boolean equals(Object other) {
        return this == other || other instanceof ResourceKeyEquality key
                && module == key.module && Objects.equals(resource, key.resource);
    }
}
