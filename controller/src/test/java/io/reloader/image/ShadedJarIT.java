package io.reloader.image;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shaded jar leaves out the fabric8 models the controller never touches (the shade plugin's excludes). A
 * missing class only fails when something names it, so this reads every fabric8 client class in the jar and
 * fails when one names a class of the jar's model packages that is not in the jar, unless it is one of the API
 * group entry points the controller never calls ({@code client.network()}, {@code client.top()}, …). A fabric8
 * upgrade that names, say, a networking class from the informer code would fail here instead of in a cluster.
 */
class ShadedJarIT {
    private static final Path JAR = Path.of("target", "reloader.jar");
    /** Entry points of API groups whose models are left out: loaded only when the controller calls them. */
    private static final Pattern UNUSED_ENTRY_POINTS = Pattern.compile("io/fabric8/kubernetes/client/("
            + "impl/.*APIGroupClient|.*APIGroupDSL|V1ApiextensionAPIGroupDSL|V1beta1ApiextensionAPIGroupDSL"
            + "|dsl/(internal/)?(Node|Pod)MetricOperation.*|dsl/base/CustomResourceDefinitionContext.*"
            + "|utils/internal/URLFromServiceUtil|impl/URLFromIngressImpl)\\.class");
    private static final Pattern MODEL = Pattern.compile("io/fabric8/kubernetes/api/model/[A-Za-z0-9_/$]+");

    @Test
    void noClientClassNamesAModelClassTheJarLeftOut() throws IOException {
        List<String> problems = new ArrayList<>();
        try (ZipFile zip = new ZipFile(JAR.toFile())) {
            Set<String> present = new TreeSet<>();
            zip.stream().map(ZipEntry::getName).filter(n -> n.endsWith(".class"))
                    .forEach(n -> present.add(n.substring(0, n.length() - 6)));
            assertThat(present).as("the models the controller uses are in the jar")
                    .contains("io/fabric8/kubernetes/api/model/apps/Deployment",
                            "io/fabric8/kubernetes/api/model/batch/v1/CronJob",
                            "io/fabric8/kubernetes/api/model/coordination/v1/Lease",
                            "io/fabric8/kubernetes/api/model/policy/v1/Eviction")
                    .doesNotContain("io/fabric8/kubernetes/api/model/networking/v1/Ingress");
            for (ZipEntry e : zip.stream().filter(e -> e.getName().startsWith("io/fabric8/kubernetes/client/")
                    && e.getName().endsWith(".class")).toList()) {
                if (UNUSED_ENTRY_POINTS.matcher(e.getName()).matches()) {
                    continue;
                }
                for (String utf8 : utf8Constants(zip.getInputStream(e).readAllBytes())) {
                    var m = MODEL.matcher(utf8);
                    while (m.find()) {
                        if (!present.contains(m.group()) && !present.contains(m.group().replaceAll("/[^/]*$", ""))
                                && !isPackage(present, m.group())) {
                            problems.add(e.getName() + " -> " + m.group());
                        }
                    }
                }
            }
        }
        assertThat(problems).as("fabric8 client classes naming model classes the shaded jar left out (keep their"
                + " artifact in controller/pom.xml)").isEmpty();
    }

    /** A name that is a package prefix (a string constant, not a class), such as a package scan. */
    private static boolean isPackage(Set<String> present, String name) {
        String prefix = name.endsWith("/") ? name : name + "/";
        return present.stream().anyMatch(p -> p.startsWith(prefix));
    }

    /** The UTF-8 entries of a class file's constant pool: every class, descriptor and string it names. */
    static List<String> utf8Constants(byte[] classFile) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
        in.skipBytes(8); // magic, minor, major
        int count = in.readUnsignedShort();
        List<String> out = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> out.add(in.readUTF());
                case 7, 8, 16, 19, 20 -> in.skipBytes(2);
                case 15 -> in.skipBytes(3);
                case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipBytes(4);
                case 5, 6 -> {
                    in.skipBytes(8);
                    i++;
                }
                default -> throw new IOException("constant pool tag " + tag);
            }
        }
        return out;
    }
}
