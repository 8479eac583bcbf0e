import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The runtime installs the libraries the poms build with (.ci/run, before the build; run it by hand with
 * {@code java .ci/FeatureVersions.java}). Every {@code mvn:} bundle that features/src/main/feature/feature.xml
 * installs, and every bundle of the Karaf/pax features it pulls in (read from the local Maven repository when
 * their descriptors are there), must have the version that the poms name for the same groupId:artifactId.
 * It was not so: the runtime ran HikariCP 4.0.3 from Karaf's pax-jdbc-pool-hikaricp feature while the poms
 * built against 5.1.0. Exits 1 with one line per split.
 */
public class FeatureVersions {
    /** Not the platform's runtime: FelixEmbeddingIT's plain Felix host brings its own SCR (docs/embedding.md). */
    private static final Set<String> OTHER_HOSTS = Set.of("org.apache.felix:org.apache.felix.scr");
    private static final Pattern PROPERTY = Pattern.compile("\\$\\{([^}]+)}");
    private static final Pattern MVN = Pattern.compile("mvn:([^/\\s]+)/([^/\\s]+)/([^/\\s<]+)(?:/([^/\\s<]*))?(?:/([^/\\s<]*))?");

    public static void main(String[] args) throws Exception {
        Path root = Paths.get(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        Map<String, String> rootProperties = properties(parse(root.resolve("pom.xml")));
        // groupId:artifactId -> the versions the poms name, with where
        Map<String, Map<String, String>> built = new TreeMap<>();
        try (Stream<Path> poms = Files.walk(root)) {
            for (Path pom : poms.filter(p -> p.getFileName().toString().equals("pom.xml")).filter(FeatureVersions::isModulePom).collect(Collectors.toList())) {
                collectDependencies(root, pom, rootProperties, built);
            }
        }
        Document feature = parse(root.resolve("features/src/main/feature/feature.xml"));
        List<String> splits = new ArrayList<>();
        Set<String> ours = new TreeSet<>();
        NodeList features = feature.getElementsByTagName("feature");
        for (int i = 0; i < features.getLength(); i++) {
            Element f = (Element) features.item(i);
            if (f.hasAttribute("name")) ours.add(f.getAttribute("name"));
        }
        NodeList bundles = feature.getElementsByTagName("bundle");
        for (int i = 0; i < bundles.getLength(); i++) {
            check(resolve(bundles.item(i).getTextContent().trim(), rootProperties), "feature.xml", built, splits);
        }
        // the features of Karaf's and CXF's descriptors that ours name: their bundles are installed too
        Set<String> named = new TreeSet<>();
        for (int i = 0; i < features.getLength(); i++) {
            Element f = (Element) features.item(i);
            if (!f.hasAttribute("name") && !ours.contains(f.getTextContent().trim())) named.add(f.getTextContent().trim());
        }
        Map<String, Element> external = new HashMap<>();
        Path repository = localRepository();
        NodeList repositories = feature.getElementsByTagName("repository");
        List<String> missing = new ArrayList<>();
        Set<String> seenDescriptors = new LinkedHashSet<>();
        for (int i = 0; i < repositories.getLength(); i++) {
            readDescriptor(resolve(repositories.item(i).getTextContent().trim(), rootProperties), repository, external, missing, seenDescriptors);
        }
        Set<String> visited = new TreeSet<>();
        for (String name : named) walk(name, external, built, splits, visited, name);
        if (!missing.isEmpty()) {
            System.out.println("ci: feature versions: descriptors not in " + repository + " yet, their features not checked: " + missing);
        }
        if (!splits.isEmpty()) {
            System.err.println("ci: the runtime would install other versions than the poms build with:");
            splits.forEach(s -> System.err.println("  " + s));
            System.exit(1);
        }
        System.out.println("ci: feature versions: every bundle of feature.xml (and of " + visited.size()
                + " Karaf/pax features it names) has the version the poms build with");
    }

    private static boolean isModulePom(Path pom) {
        String path = pom.toString().replace(File.separatorChar, '/');
        return !path.contains("/target/") && !path.contains("/archetype-resources/") && !path.contains("/.mirror/");
    }

    private static void collectDependencies(Path root, Path pom, Map<String, String> rootProperties, Map<String, Map<String, String>> built) throws Exception {
        Document document = parse(pom);
        Map<String, String> properties = new HashMap<>(rootProperties);
        properties.putAll(properties(document));
        NodeList dependencies = document.getElementsByTagName("dependency");
        for (int i = 0; i < dependencies.getLength(); i++) {
            Element d = (Element) dependencies.item(i);
            String group = child(d, "groupId"), artifact = child(d, "artifactId"), version = child(d, "version");
            if (group == null || artifact == null || version == null) continue;
            version = resolve(version, properties);
            if (version.contains("${")) continue;
            built.computeIfAbsent(group + ":" + artifact, k -> new TreeMap<>()).putIfAbsent(version, root.relativize(pom).toString());
        }
    }

    /** A bundle URL against the versions the poms name; artifacts no pom names (runtime-only) pass. */
    private static void check(String url, String where, Map<String, Map<String, String>> built, List<String> splits) {
        Matcher m = MVN.matcher(url);
        if (!m.find() || m.group(3).contains("${")) return;
        String key = m.group(1) + ":" + m.group(2);
        Map<String, String> versions = built.get(key);
        if (versions == null || OTHER_HOSTS.contains(key) || versions.containsKey(m.group(3)) && versions.size() == 1) return;
        for (Map.Entry<String, String> v : versions.entrySet()) {
            if (!v.getKey().equals(m.group(3))) {
                splits.add(key + ": " + where + " installs " + m.group(3) + ", " + v.getValue() + " builds with " + v.getKey());
            }
        }
    }

    private static void walk(String name, Map<String, Element> external, Map<String, Map<String, String>> built, List<String> splits, Set<String> visited, String via) {
        Element f = external.get(name);
        if (f == null || !visited.add(name)) return;
        NodeList children = f.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            Node n = children.item(i);
            if (!(n instanceof Element)) continue;
            if (n.getNodeName().equals("bundle")) {
                check(n.getTextContent().trim(), "feature " + name + (via.equals(name) ? "" : " (through " + via + ")"), built, splits);
            } else if (n.getNodeName().equals("feature")) {
                walk(n.getTextContent().trim(), external, built, splits, visited, via);
            }
        }
    }

    private static void readDescriptor(String url, Path repository, Map<String, Element> external, List<String> missing, Set<String> seen) throws Exception {
        Matcher m = MVN.matcher(url);
        if (!m.find() || !seen.add(url)) return;
        String group = m.group(1), artifact = m.group(2), version = m.group(3);
        String type = m.group(4) == null || m.group(4).isEmpty() ? "jar" : m.group(4);
        String classifier = m.group(5);
        Path file = repository.resolve(group.replace('.', '/')).resolve(artifact).resolve(version)
                .resolve(artifact + "-" + version + (classifier == null || classifier.isEmpty() ? "" : "-" + classifier) + "." + type);
        if (!Files.isRegularFile(file)) {
            missing.add(url);
            return;
        }
        Document d = parse(file);
        NodeList features = d.getElementsByTagName("feature");
        for (int i = 0; i < features.getLength(); i++) {
            Element f = (Element) features.item(i);
            if (f.hasAttribute("name")) external.putIfAbsent(f.getAttribute("name"), f);
        }
        NodeList repositories = d.getElementsByTagName("repository");
        for (int i = 0; i < repositories.getLength(); i++) {
            readDescriptor(repositories.item(i).getTextContent().trim(), repository, external, missing, seen);
        }
    }

    private static Path localRepository() {
        String configured = System.getProperty("maven.repo.local");
        return configured != null ? Paths.get(configured) : Paths.get(System.getProperty("user.home"), ".m2", "repository");
    }

    private static Map<String, String> properties(Document pom) {
        Map<String, String> properties = new HashMap<>();
        Element project = pom.getDocumentElement();
        for (Node n = project.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (!n.getNodeName().equals("properties")) continue;
            for (Node p = n.getFirstChild(); p != null; p = p.getNextSibling()) {
                if (p instanceof Element) properties.put(p.getNodeName(), p.getTextContent().trim());
            }
        }
        return properties;
    }

    private static String resolve(String value, Map<String, String> properties) {
        for (int depth = 0; depth < 10 && value.contains("${"); depth++) {
            Matcher m = PROPERTY.matcher(value);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String replacement = properties.get(m.group(1));
                m.appendReplacement(out, Matcher.quoteReplacement(replacement != null ? replacement : m.group()));
            }
            m.appendTail(out);
            if (out.toString().equals(value)) break;
            value = out.toString();
        }
        return value;
    }

    private static String child(Element e, String name) {
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n.getNodeName().equals(name)) return n.getTextContent().trim();
        }
        return null;
    }

    private static Document parse(Path file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(false);
        factory.setExpandEntityReferences(false);
        return factory.newDocumentBuilder().parse(file.toFile());
    }
}
