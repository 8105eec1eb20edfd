package io.podidentity.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;

import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemObjectGenerator;
import org.bouncycastle.util.io.pem.PemWriter;

/** Writes PEM files whole or not at all, with owner-only permissions where the filesystem has them. */
final class PemFileWriter {

    /** For the private key. */
    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    /** For certificates: public anyway, and other local tools (curl, kubectl) may need to read them. */
    static final Set<PosixFilePermission> WORLD_READABLE = PosixFilePermissions.fromString("rw-r--r--");

    private PemFileWriter() {
    }

    /**
     * Creates {@code dir} (and its parents). A directory created here gets mode 0700; an existing
     * one is left as its owner set it.
     */
    static void createPrivateDirectory(Path dir) {
        try {
            if (Files.isDirectory(dir)) {
                return;
            }
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (supportsPosix(parent)) {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectory(dir);
            }
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw new UncheckedIOException("cannot create directory " + dir + ": a file with that name exists", e);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create directory " + dir + ": " + describe(e), e);
        }
    }

    /**
     * Replaces {@code file} with the PEM encoding of {@code objects}: certificates, and blocks
     * ({@link PemObject}) such as a key already encoded. The content goes to a temporary file
     * that is then renamed, so a crash never leaves a half-written key behind and a reader never
     * sees one.
     */
    static void write(Path file, Set<PosixFilePermission> permissions, List<?> objects) {
        Path dir = file.toAbsolutePath().getParent();
        Path temporary = null;
        try {
            // createTempFile makes the file 0600 on POSIX, so a key is never readable by others, even briefly.
            temporary = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            try (Writer out = Files.newBufferedWriter(temporary, StandardCharsets.US_ASCII);
                    PemWriter pem = new PemWriter(out)) {
                for (Object object : objects) {
                    pem.writeObject(block(object));
                }
            }
            if (supportsPosix(dir)) {
                Files.setPosixFilePermissions(temporary, permissions);
            }
            move(temporary, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + describe(e), e);
        } finally {
            deleteQuietly(temporary);
        }
    }

    private static PemObjectGenerator block(Object object) throws IOException {
        if (object instanceof X509Certificate certificate) {
            try {
                return new PemObject("CERTIFICATE", certificate.getEncoded());
            } catch (CertificateEncodingException e) {
                throw new IOException("the certificate cannot be encoded: " + e.getMessage(), e);
            }
        }
        if (object instanceof PemObjectGenerator block) {
            return block;
        }
        throw new IllegalArgumentException("no PEM form for " + object.getClass().getName());
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static boolean supportsPosix(Path path) {
        return path != null && path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static void deleteQuietly(Path temporary) {
        if (temporary == null) {
            return;
        }
        try {
            Files.deleteIfExists(temporary);
        } catch (IOException ignored) {
            // Only reached when the write already failed; that error is the one worth reporting.
        }
    }

    /** NIO exceptions often carry just the path as their message; the class name says what happened. */
    static String describe(IOException e) {
        String kind = e.getClass().getSimpleName();
        return e.getMessage() == null ? kind : kind + " (" + e.getMessage() + ")";
    }
}
