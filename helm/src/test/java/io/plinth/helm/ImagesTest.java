package io.plinth.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * The images Jib builds (root pom.xml and the services' poms) are the ones the chart runs: same
 * name, tag and registry by default, the service's main class and ports, the pods' user. Building
 * and pushing needs a registry for the base image; this is everything short of that.
 */
class ImagesTest {

  static final Path ROOT = Path.of("..");

  @ParameterizedTest
  @CsvSource({
    "control-plane-image, control-plane, io.plinth.provisioning.ProvisioningMain",
    "tenant-api, data-plane, io.plinth.tenantapi.TenantApiMain"
  })
  void theChartRunsTheImageJibBuilds(String module, String component, String mainClass)
      throws Exception {
    Document root = xml(ROOT.resolve("pom.xml"));
    Document service = xml(ROOT.resolve(module).resolve("pom.xml"));
    String managed =
        "/project/build/pluginManagement/plugins/plugin[artifactId='jib-maven-plugin']";
    String own = "/project/build/plugins/plugin[artifactId='jib-maven-plugin']";

    String image =
        text(root, managed + "/configuration/to/image")
            .replace(
                "${plinth.image.registry}", text(root, "/project/properties/plinth.image.registry"))
            .replace("${plinth.image.name}", text(service, "/project/properties/plinth.image.name"))
            .replace("${project.version}", text(root, "/project/version"));
    assertThat(text(service, own + "/configuration/skip")).isEqualTo("false");
    assertThat(text(service, own + "/configuration/container/mainClass")).isEqualTo(mainClass);

    Manifests chart = Chart.render(Chart.scenario("minimal-values.yaml"));
    Container container = ChartScenariosTest.container(chart.deployment(component));
    assertThat(container.getImage()).isEqualTo(image);
    assertThat(texts(service, own + "/configuration/container/ports/port"))
        .containsExactlyInAnyOrderElementsOf(
            container.getPorts().stream().map(p -> String.valueOf(p.getContainerPort())).toList());

    // The image's user is the pods' user, and not root.
    String[] user = text(root, managed + "/configuration/container/user").split(":");
    PodSecurityContext pod =
        chart.deployment(component).getSpec().getTemplate().getSpec().getSecurityContext();
    assertThat(Long.parseLong(user[0])).isPositive().isEqualTo(pod.getRunAsUser());
    assertThat(Long.parseLong(user[1])).isEqualTo(pod.getRunAsGroup());
  }

  @Test
  void theControlPlaneImageCarriesTheConsole() throws Exception {
    Document image = xml(ROOT.resolve("control-plane-image").resolve("pom.xml"));
    assertThat(texts(image, "/project/dependencies/dependency/artifactId"))
        .contains("plinth-provisioning", "plinth-console");
    assertThat(texts(image, "/project/dependencies/dependency[artifactId='plinth-console']/scope"))
        .doesNotContain("test", "provided");
  }

  @Test
  void theChartsAppVersionIsTheImagesTag() throws Exception {
    Matcher appVersion =
        Pattern.compile("(?m)^appVersion: \"(.+)\"$")
            .matcher(Files.readString(Chart.DIRECTORY.resolve("Chart.yaml")));
    assertThat(appVersion.find()).isTrue();
    assertThat(appVersion.group(1))
        .isEqualTo(text(xml(ROOT.resolve("pom.xml")), "/project/version"));
  }

  static Document xml(Path file) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
  }

  static String text(Document document, String path) throws Exception {
    List<String> all = texts(document, path);
    assertThat(all).as(path).hasSize(1);
    return all.get(0);
  }

  static List<String> texts(Document document, String path) throws Exception {
    XPath xpath = XPathFactory.newInstance().newXPath();
    NodeList nodes = (NodeList) xpath.evaluate(path, document, XPathConstants.NODESET);
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      texts.add(nodes.item(i).getTextContent().trim());
    }
    return texts;
  }
}
