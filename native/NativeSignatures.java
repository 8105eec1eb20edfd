import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.MethodModel;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checks that the JDK's static libraries agree with the class library the image was built from,
 * where a mismatch would be silent: a JNI function is found by name only, so a native method whose
 * parameters changed between the two JDKs would link and then read its arguments wrongly.
 *
 * For every JNI function the image's object file references, this compares the Java signature the
 * class library declares (read from the running JDK's modules, i.e. the builder's JDK) with the
 * one the libraries were compiled for (the javac -h headers of their build, which
 * native/jdk-static-libs.sh keeps beside them).
 *
 * usage: java NativeSignatures.java HEADERS_DIR SYMBOLS_FILE
 *   SYMBOLS_FILE: one symbol per line (nm -u of the object file; non-Java_ lines are ignored)
 * exit 0 when every referenced function has the same signature on both sides, 1 otherwise.
 */
public class NativeSignatures {

    public static void main(String[] args) throws IOException {
        Map<String, String> library = fromHeaders(Path.of(args[0]));
        Map<String, String> classes = fromRunningJdk();
        Set<String> referenced = new TreeSet<>();
        for (String line : Files.readAllLines(Path.of(args[1]))) {
            String symbol = line.strip();
            if (symbol.startsWith("Java_")) {
                referenced.add(symbol);
            }
        }
        List<String> problems = new ArrayList<>();
        int same = 0;
        for (String symbol : referenced) {
            String declared = classes.get(symbol), compiled = library.get(symbol);
            if (declared == null) {
                problems.add(symbol + ": no native method of this name in the class library (" + Runtime.version() + ")");
            } else if (compiled == null) {
                problems.add(symbol + ": not in the libraries' headers");
            } else if (!declared.equals(compiled)) {
                problems.add(symbol + ": the class library declares " + declared + ", the libraries were compiled for " + compiled);
            } else {
                same++;
            }
        }
        problems.forEach(p -> System.out.println("native signatures: MISMATCH " + p));
        System.out.printf("native signatures: %d of %d referenced JNI functions have the same Java signature in the class library (%s) and the static libraries%n",
                same, referenced.size(), Runtime.version());
        System.exit(problems.isEmpty() ? 0 : 1);
    }

    /** javac -h writes "Class: ... Method: ... Signature: (...)..." above each JNIEXPORT line. */
    static Map<String, String> fromHeaders(Path dir) throws IOException {
        Pattern entry = Pattern.compile("\\* Signature: (\\S+)\\s*\\*/\\s*JNIEXPORT [^\\n]*\\n?\\s*JNICALL (Java_\\w+)");
        Map<String, String> signatures = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path header : files.filter(p -> p.toString().endsWith(".h")).toList()) {
                Matcher m = entry.matcher(Files.readString(header));
                while (m.find()) {
                    signatures.put(m.group(2), m.group(1));
                }
            }
        }
        if (signatures.isEmpty()) {
            throw new IllegalStateException("no javac -h headers below " + dir);
        }
        return signatures;
    }

    /** Every native method of the running JDK's modules, by JNI short name (and long name when overloaded). */
    static Map<String, String> fromRunningJdk() throws IOException {
        Map<String, String> signatures = new TreeMap<>();
        FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
        try (Stream<Path> files = Files.walk(jrt.getPath("/modules"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                ClassModel model = ClassFile.of().parse(Files.readAllBytes(file));
                String owner = model.thisClass().asInternalName();
                Map<String, Integer> counts = new TreeMap<>();
                List<MethodModel> natives = model.methods().stream()
                        .filter(m -> (m.flags().flagsMask() & ClassFile.ACC_NATIVE) != 0).toList();
                natives.forEach(m -> counts.merge(m.methodName().stringValue(), 1, Integer::sum));
                for (MethodModel method : natives) {
                    String name = method.methodName().stringValue(), descriptor = method.methodType().stringValue();
                    String shortName = "Java_" + mangle(owner) + "_" + mangle(name);
                    if (counts.get(name) == 1) {
                        signatures.put(shortName, descriptor);
                    }
                    String arguments = descriptor.substring(1, descriptor.indexOf(')'));
                    signatures.put(shortName + "__" + mangle(arguments), descriptor);
                }
            }
        }
        return signatures;
    }

    /** The JNI specification's name mangling. */
    static String mangle(String name) {
        StringBuilder out = new StringBuilder();
        for (char c : name.toCharArray()) {
            if (c == '/') out.append('_');
            else if (c == '_') out.append("_1");
            else if (c == ';') out.append("_2");
            else if (c == '[') out.append("_3");
            else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) out.append(c);
            else out.append(String.format("_0%04x", (int) c));
        }
        return out.toString();
    }
}
