package org.prdimp.fiji.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * {@code prdimp update-site OUT [--natives DIR] [--zips DIR]}: the files of a Fiji update site in
 * OUT ({@code plugins/}, {@code jars/}, {@code jars/<platform>/} with each platform's libtorch,
 * {@code models/prdimp/}), ready to upload with Fiji's updater, and a Fiji.app zip per platform (to
 * unpack over a Fiji.app folder) in {@code OUT-zips/}. The native jars of the four platforms come
 * from {@code --natives} (default: the {@code prdimp.natives.dir} property; the {@code ./prdimp} script
 * downloads them with Maven into {@code plugin/target/natives}).
 */
final class UpdateSiteCommand {
    static final String USAGE = String.join("\n",
            "usage: prdimp update-site OUT [--natives DIR] [--zips DIR]",
            "  writes the files of a Fiji update site into OUT (plugins/, jars/, jars/<platform>/, models/prdimp/)",
            "  and one Fiji.app zip per platform (linux64, linux-arm64, macos-arm64, win64) into --zips",
            "options:",
            "  --natives DIR  the pytorch-native-cpu-2.7.1-*.jar of the four platforms (default: -Dprdimp.natives.dir;",
            "                 ./prdimp downloads them into plugin/target/natives)",
            "  --zips DIR     where the zips go (default: OUT-zips next to OUT)",
            "example:",
            "  ./prdimp update-site out/site    # then upload out/site with Fiji's updater; zips in out/site-zips");

    private UpdateSiteCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws UsageException {
        String outDir = null;
        String natives = System.getProperty("prdimp.natives.dir");
        String zips = null;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                out.println(USAGE);
                return 0;
            } else if ((a.equals("--natives") || a.equals("--zips")) && i + 1 < args.length) {
                if (a.equals("--natives")) {
                    natives = args[++i];
                } else {
                    zips = args[++i];
                }
            } else if (a.startsWith("--") || outDir != null) {
                throw new UsageException("update-site takes OUT, --natives DIR and --zips DIR (got '" + a + "'): prdimp update-site --help");
            } else {
                outDir = a;
            }
        }
        if (outDir == null) {
            throw new UsageException("update-site needs the output folder: prdimp update-site out/site");
        }
        if (natives == null) {
            throw new UsageException("update-site needs the native jars of the four platforms: --natives DIR (./prdimp update-site"
                    + " downloads them into plugin/target/natives)");
        }
        Path site = Paths.get(outDir).toAbsolutePath().normalize();
        Path zipDir = zips != null ? Paths.get(zips) : site.resolveSibling(site.getFileName() + "-zips");
        FijiLayout.Jars jars = FijiLayout.fromClassPath(System.getProperty("java.class.path"));
        InstallFijiCommand.checkPluginJar(jars);
        if (jars.trackmate == null) {
            throw new UsageException("the TrackMate module's jar (prdimp-fiji-trackmate-*.jar) is not on the class path; build it"
                    + " (./prdimp update-site builds it)");
        }
        try {
            Map<String, Path> found = FijiLayout.nativesIn(Paths.get(natives));
            jars.natives.clear();
            jars.natives.putAll(found);
        } catch (IOException e) {
            throw new UsageException("cannot read the native jars in " + natives + " (" + e.getMessage() + ")");
        }
        List<String> missing = new ArrayList<>();
        for (String c : FijiLayout.PLATFORMS.keySet()) {
            if (!jars.natives.containsKey(c)) {
                missing.add("pytorch-native-cpu-2.7.1-" + c + ".jar");
            }
        }
        if (!missing.isEmpty()) {
            throw new UsageException(natives + " lacks " + String.join(", ", missing) + "; download them with mvn -f plugin/pom.xml"
                    + " dependency:copy@all-natives (./prdimp update-site does)");
        }
        Path model = InstallFijiCommand.bundledModel();
        try {
            if (Files.exists(site) && !isEmptyOrSite(site)) {
                throw new UsageException(site + " exists and is not an earlier update-site folder (no plugins/prdimp_fiji-*.jar);"
                        + " give a new or empty folder");
            }
            deleteTree(site);
            List<String> all = new ArrayList<>(FijiLayout.PLATFORMS.values());
            List<FijiLayout.Entry> entries = FijiLayout.entries(jars, model, all, true);
            for (FijiLayout.Entry e : entries) {
                Path target = site.resolve(e.target);
                Files.createDirectories(target.getParent());
                Files.copy(e.source, target, StandardCopyOption.REPLACE_EXISTING);
            }
            out.println("update site: " + entries.size() + " files in " + site);
            Files.createDirectories(zipDir);
            for (String platform : all) {
                Path zip = zipDir.resolve("PrDiMP-Fiji-" + platform + ".zip");
                writeZip(FijiLayout.entries(jars, model, List.of(platform), true), zip);
                out.println("zip for " + platform + ": " + zip + " (" + Files.size(zip) / 1_000_000 + " MB)");
            }
            out.println("upload " + site + " with Fiji's updater (README: Install in Fiji), or unpack a zip over Fiji.app");
            return 0;
        } catch (IOException e) {
            err.println("prdimp: error: cannot write the update site (" + e + "); check that " + site.getParent() + " is writable");
            return 1;
        }
    }

    private static boolean isEmptyOrSite(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            if (s.findAny().isEmpty()) {
                return true;
            }
        }
        if (!Files.isDirectory(dir.resolve("plugins"))) {
            return false;
        }
        try (java.util.stream.Stream<Path> s = Files.list(dir.resolve("plugins"))) {
            return s.anyMatch(p -> p.getFileName().toString().startsWith("prdimp_fiji-"));
        }
    }

    /** A zip of Fiji.app/...: stored, not deflated (jars and the TorchScript file do not shrink). */
    static void writeZip(List<FijiLayout.Entry> entries, Path zip) throws IOException {
        Path tmp = zip.resolveSibling(zip.getFileName() + ".part");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(tmp))) {
            z.setMethod(ZipOutputStream.STORED);
            byte[] buf = new byte[1 << 16];
            for (FijiLayout.Entry e : entries) {
                CRC32 crc = new CRC32();
                try (InputStream in = Files.newInputStream(e.source)) {
                    for (int n; (n = in.read(buf)) > 0;) {
                        crc.update(buf, 0, n);
                    }
                }
                ZipEntry ze = new ZipEntry("Fiji.app/" + e.target);
                long size = Files.size(e.source);
                ze.setSize(size);
                ze.setCompressedSize(size);
                ze.setCrc(crc.getValue());
                z.putNextEntry(ze);
                try (InputStream in = Files.newInputStream(e.source)) {
                    copy(in, z, buf);
                }
                z.closeEntry();
            }
        }
        Files.move(tmp, zip, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void copy(InputStream in, OutputStream out, byte[] buf) throws IOException {
        for (int n; (n = in.read(buf)) > 0;) {
            out.write(buf, 0, n);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
