package io.plinth.provisioning.console;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The console's files as the control plane serves them, read once at start from the classpath
 * (present when the console's jar is there). Its own files are fingerprinted together: they are
 * served under {@code /console/<fingerprint>/}, so a browser may cache them for good and a new
 * release is a new path. The entry page is rewritten at start: {@code {{assets}}} becomes that
 * path, {@code {{vendor:<webjar>}}} the versioned path of a WebJar, and {@code <!--importmap-->}
 * the import map built from {@code importmap.json} (whose {@code vendor:<webjar>/…} values are
 * resolved the same way), whose hash the Content-Security-Policy allows.
 */
public final class ConsoleAssets {

  /** Where the console's jar keeps its files. */
  public static final String ROOT = "META-INF/resources/console";

  static final String ENTRY = "index.html";
  static final String IMPORT_MAP = "importmap.json";
  private static final String WEBJARS = "META-INF/resources/webjars/";
  private static final String WEBJAR_POMS = "META-INF/maven/org.webjars.npm/";
  private static final Pattern PLACEHOLDER =
      Pattern.compile("\\{\\{(assets|vendor:[a-z0-9_.-]+)}}");
  private static final Pattern VENDOR_REF = Pattern.compile("^vendor:([a-z0-9_.-]+)(/.*)?$");

  private final String fingerprint;
  private final Map<String, Buffer> files;
  private final String entryPage;
  private final String importMapHash;
  private final Map<String, String> webjarVersions;

  private ConsoleAssets(
      String fingerprint,
      Map<String, Buffer> files,
      String entryPage,
      String importMapHash,
      Map<String, String> webjarVersions) {
    this.fingerprint = fingerprint;
    this.files = files;
    this.entryPage = entryPage;
    this.importMapHash = importMapHash;
    this.webjarVersions = webjarVersions;
  }

  /**
   * Reads the console under {@code root} from {@code loader}; empty when it is not there. Blocking:
   * run it off the event loop.
   *
   * @throws IllegalStateException when the console is there but names a WebJar that is not
   */
  public static Optional<ConsoleAssets> load(ClassLoader loader, String root) {
    URL entry = loader.getResource(root + "/" + ENTRY);
    if (entry == null) {
      return Optional.empty();
    }
    Map<String, byte[]> read = read(entry);
    Map<String, String> versions = new TreeMap<>();
    String importMap = importMap(read.get(IMPORT_MAP), loader, versions);
    String fingerprint = fingerprint(read);
    String base = ConsoleRoutes.BASE + fingerprint;
    String page = new String(read.get(ENTRY), StandardCharsets.UTF_8);
    Matcher m = PLACEHOLDER.matcher(page);
    StringBuilder rewritten = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      String value = name.equals("assets") ? base : vendorPath(name.substring(7), loader, versions);
      m.appendReplacement(rewritten, Matcher.quoteReplacement(value));
    }
    m.appendTail(rewritten);
    String script = "<script type=\"importmap\">" + importMap + "</script>";
    String entryPage = rewritten.toString().replace("<!--importmap-->", script);
    Map<String, Buffer> files = new TreeMap<>();
    read.forEach(
        (path, bytes) -> {
          if (!path.equals(ENTRY)) {
            files.put(path, Buffer.buffer(bytes));
          }
        });
    return Optional.of(
        new ConsoleAssets(
            fingerprint,
            Map.copyOf(files),
            entryPage,
            "sha256-" + Base64.getEncoder().encodeToString(sha256(importMap)),
            Map.copyOf(versions)));
  }

  /** The path segment the console's own files are served under. */
  public String fingerprint() {
    return fingerprint;
  }

  /** The entry page, rewritten. */
  public String entryPage() {
    return entryPage;
  }

  /** {@code sha256-<base64>} of the inline import map, for {@code script-src}. */
  public String importMapHash() {
    return importMapHash;
  }

  /** One of the console's own files by its path under the root, e.g. {@code app.js}. */
  public Optional<Buffer> file(String path) {
    return Optional.ofNullable(files.get(path));
  }

  /** The version of each WebJar the console uses, the only ones served. */
  public Map<String, String> webjarVersions() {
    return webjarVersions;
  }

  /** The classpath resource of a WebJar's file, e.g. {@code lit/3.2.1/index.js}. */
  static String webjarResource(String webjar, String version, String path) {
    return WEBJARS + webjar + "/" + version + "/" + path;
  }

  private static String importMap(byte[] source, ClassLoader loader, Map<String, String> versions) {
    if (source == null) {
      return "{\"imports\":{}}";
    }
    JsonObject map = new JsonObject(new String(source, StandardCharsets.UTF_8));
    JsonObject imports = map.getJsonObject("imports", new JsonObject());
    JsonObject resolved = new JsonObject();
    for (String specifier : imports.fieldNames()) {
      String target = imports.getString(specifier);
      Matcher m = VENDOR_REF.matcher(target);
      resolved.put(
          specifier,
          m.matches()
              ? vendorPath(m.group(1), loader, versions) + (m.group(2) == null ? "" : m.group(2))
              : target);
    }
    return new JsonObject().put("imports", resolved).encode();
  }

  private static String vendorPath(
      String webjar, ClassLoader loader, Map<String, String> versions) {
    String version = versions.computeIfAbsent(webjar, name -> webjarVersion(loader, name));
    return ConsoleRoutes.VENDOR + webjar + "/" + version;
  }

  private static String webjarVersion(ClassLoader loader, String webjar) {
    try (InputStream in = loader.getResourceAsStream(WEBJAR_POMS + webjar + "/pom.properties")) {
      if (in == null) {
        throw new IllegalStateException(
            "the console uses the WebJar org.webjars.npm:" + webjar + ", not on the classpath");
      }
      Properties pom = new Properties();
      pom.load(in);
      return pom.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every file under the directory of {@code entry}, by its path relative to it. */
  private static Map<String, byte[]> read(URL entry) {
    Map<String, byte[]> files = new TreeMap<>();
    try {
      if (entry.getProtocol().equals("jar")) {
        JarURLConnection connection = (JarURLConnection) entry.openConnection();
        connection.setUseCaches(false);
        String prefix =
            connection
                .getEntryName()
                .substring(0, connection.getEntryName().length() - ENTRY.length());
        try (JarFile jar = connection.getJarFile()) {
          for (JarEntry e : java.util.Collections.list(jar.entries())) {
            if (!e.isDirectory() && e.getName().startsWith(prefix)) {
              try (InputStream in = jar.getInputStream(e)) {
                files.put(e.getName().substring(prefix.length()), in.readAllBytes());
              }
            }
          }
        }
      } else {
        Path dir = Path.of(entry.toURI()).getParent();
        try (Stream<Path> walk = Files.walk(dir)) {
          for (Path p : walk.filter(Files::isRegularFile).toList()) {
            files.put(dir.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    return files;
  }

  /** A hash of every file's path and content: any change anywhere gives another. */
  private static String fingerprint(Map<String, byte[]> files) {
    MessageDigest digest = digest();
    files.forEach(
        (path, bytes) -> {
          digest.update(path.getBytes(StandardCharsets.UTF_8));
          digest.update((byte) 0);
          digest.update(bytes);
        });
    return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
  }

  private static byte[] sha256(String text) {
    return digest().digest(text.getBytes(StandardCharsets.UTF_8));
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
