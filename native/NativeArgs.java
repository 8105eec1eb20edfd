import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.regex.Pattern;

/**
 * Does the part of GraalVM's native-image driver that the raw builder (NativeImageGeneratorRunner)
 * does not: turns the driver command line Quarkus wrote to target/native-sources/native-image.args
 * into builder options, resolves -jar into an image class path and main class, and reads each
 * class-path jar's META-INF/native-image metadata (native-image.properties Args, *-config.json).
 *
 * usage: java NativeArgs.java NATIVE_SOURCES_DIR OUT_DIR
 * writes OUT_DIR/jvm.args (java @argfile for the builder JVM) and OUT_DIR/builder.args (one
 * builder argument per line). Fails on a driver option it does not know, rather than dropping it.
 */
public class NativeArgs {
    /** driver option name -> builder option (value appended) */
    static final Map<String, String> VALUED = Map.of(
            "--features", "-H:Features=",
            "--enable-native-access", "-H:EnableNativeAccess=",
            "--link-at-build-time", "-H:LinkAtBuildTime=",
            "--enable-url-protocols", "-H:EnableURLProtocols=",
            "--enable-monitoring", "-H:EnableMonitoringFeatures=",
            "--initialize-at-run-time", ":run_time",
            "--initialize-at-build-time", ":build_time");
    static final Map<String, String> CONFIG_FILES = Map.of(
            "reflect-config.json", "ReflectionConfigurationResources",
            "proxy-config.json", "DynamicProxyConfigurationResources",
            "serialization-config.json", "SerializationConfigurationResources",
            "resource-config.json", "ResourceConfigurationResources",
            "jni-config.json", "JNIConfigurationResources",
            "reachability-metadata.json", "ReachabilityMetadataResources",
            "predefined-classes-config.json", "PredefinedClassesConfigurationResources");

    final List<String> jvm = new ArrayList<>();
    final List<String> builder = new ArrayList<>();
    final List<Pattern[]> excluded = new ArrayList<>();
    String jar;
    String name;

    public static void main(String[] a) throws IOException {
        Path src = Path.of(a[0]).toAbsolutePath(), out = Path.of(a[1]);
        NativeArgs n = new NativeArgs();
        n.translate(List.of(Files.readString(src.resolve("native-image.args")).trim().split("\\s+")), true);
        if (n.jar == null || n.name == null) throw new IllegalStateException("no -jar or image name in native-image.args");
        Path runner = src.resolve(n.jar);
        List<Path> cp = new ArrayList<>(List.of(runner));
        String main;
        try (JarFile j = new JarFile(runner.toFile())) {
            var attrs = j.getManifest().getMainAttributes();
            main = attrs.getValue("Main-Class");
            for (String e : attrs.getValue("Class-Path").trim().split("\\s+")) cp.add(src.resolve(e));
            // The driver honours the -jar manifest's Add-Opens/Add-Exports ("module/package ..."),
            // both for the builder JVM (class initialisers that run at build time) and the image.
            for (String[] kind : new String[][] {{"Add-Opens", "--add-opens=", "-H:AddOpens="}, {"Add-Exports", "--add-exports=", "-H:AddExports="}}) {
                String value = attrs.getValue(kind[0]);
                if (value == null) continue;
                for (String modulePackage : value.trim().split("\\s+")) {
                    n.jvm.add(kind[1] + modulePackage + "=ALL-UNNAMED");
                    n.builder.add(kind[2] + modulePackage + "=ALL-UNNAMED");
                }
            }
        }
        Set<String> seen = new LinkedHashSet<>();
        for (Path p : cp) n.metaInf(p, seen);
        n.builder.add(0, "-imagecp");
        n.builder.add(1, String.join(":", cp.stream().map(Path::toString).toList()));
        n.builder.add("-H:Name=" + n.name);
        n.builder.add("-H:Class=" + main);
        Files.createDirectories(out);
        Files.write(out.resolve("jvm.args"), n.jvm.stream().map(s -> '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"').toList());
        Files.write(out.resolve("builder.args"), n.builder);
    }

    void translate(List<String> args, boolean topLevel) {
        for (int i = 0; i < args.size(); i++) {
            String s = args.get(i);
            if (s.isEmpty()) continue;
            if (s.startsWith("-J")) jvm.add(s.substring(2));
            else if (s.startsWith("-H:")) builder.add(s);
            else if (s.equals("--no-fallback")) builder.add("-H:FallbackThreshold=0");
            else if (s.startsWith("-march=")) builder.add("-H:MicroArchitecture=" + s.substring("-march=".length()));
            else if (s.matches("-O[bs0-3]")) builder.add("-H:Optimize=" + s.substring(2));
            else if (s.equals("--exclude-config")) excluded.add(new Pattern[] {Pattern.compile(args.get(++i)), Pattern.compile(args.get(++i))});
            else if (s.equals("-jar") && topLevel) jar = args.get(++i);
            else if (s.startsWith("--")) {
                int eq = s.indexOf('=');
                String opt = eq < 0 ? s : s.substring(0, eq), val = eq < 0 ? "" : s.substring(eq + 1);
                String to = VALUED.get(opt);
                if (to == null) throw new IllegalArgumentException("driver option not translated: " + s);
                if (to.startsWith(":")) {
                    builder.add("-H:ClassInitialization=" + String.join(",", List.of(val.split(",")).stream().map(c -> c + to).toList()));
                } else builder.add(to + val);
            } else if (!s.startsWith("-") && topLevel && name == null) name = s;
            else throw new IllegalArgumentException("argument not translated: " + s);
        }
    }

    void metaInf(Path jarPath, Set<String> seen) throws IOException {
        if (!Files.isRegularFile(jarPath)) return;
        try (JarFile j = new JarFile(jarPath.toFile())) {
            for (var e : j.stream().filter(e -> !e.isDirectory() && e.getName().startsWith("META-INF/native-image/")).toList()) {
                String res = e.getName(), file = res.substring(res.lastIndexOf('/') + 1);
                if (excluded.stream().anyMatch(p -> p[0].matcher(jarPath.toString()).find() && p[1].matcher("/" + res).find())) continue;
                if (file.equals("native-image.properties")) {
                    Properties p = new Properties();
                    p.load(new StringReader(new String(j.getInputStream(e).readAllBytes())));
                    String dir = res.substring(0, res.lastIndexOf('/'));
                    String args = p.getProperty("Args", "").replace("${.}", dir);
                    translate(List.of(args.trim().split("\\s+")), false);
                    String javaArgs = p.getProperty("JavaArgs", "").trim();
                    if (!javaArgs.isEmpty()) jvm.addAll(List.of(javaArgs.split("\\s+")));
                } else if (CONFIG_FILES.containsKey(file) && seen.add(res)) {
                    builder.add("-H:" + CONFIG_FILES.get(file) + "=" + res);
                }
            }
        }
    }
}
