package io.plinth.helm;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every object of a rendered chart, each parsed into fabric8's Kubernetes model for its kind. A
 * field the model does not know (a typo, a wrong indentation, a field of another API version) is
 * refused: fabric8 would keep it aside in the object's additional properties, and the API server
 * would drop it or reject the object.
 */
record Manifests(List<HasMetadata> objects) {

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  static Manifests parse(String yaml) {
    List<HasMetadata> objects = new ArrayList<>();
    for (String document : yaml.split("(?m)^---\\s*$")) {
      if (document.lines().allMatch(line -> line.isBlank() || line.trim().startsWith("#"))) {
        continue;
      }
      KubernetesResource parsed = SERIALIZATION.unmarshal(document);
      if (!(parsed instanceof HasMetadata object)) {
        throw new IllegalArgumentException("not a Kubernetes object:\n" + document);
      }
      List<String> unknown = new ArrayList<>();
      refuseUnknownFields(object, object.getKind(), unknown);
      if (!unknown.isEmpty()) {
        throw new IllegalArgumentException(
            object.getKind()
                + " "
                + object.getMetadata().getName()
                + " has fields its model does not know: "
                + unknown);
      }
      objects.add(object);
    }
    return new Manifests(List.copyOf(objects));
  }

  <T extends HasMetadata> List<T> all(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  <T extends HasMetadata> Optional<T> named(Class<T> type, String name) {
    return all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst();
  }

  <T extends HasMetadata> T get(Class<T> type, String name) {
    return named(type, name)
        .orElseThrow(
            () ->
                new AssertionError("no " + type.getSimpleName() + " named " + name + " rendered"));
  }

  /** Objects of a kind fabric8 has no model for (custom resources such as PrometheusRule). */
  List<GenericKubernetesResource> custom(String kind) {
    return all(GenericKubernetesResource.class).stream()
        .filter(o -> o.getKind().equals(kind))
        .toList();
  }

  Deployment deployment(String component) {
    return get(Deployment.class, Chart.RELEASE + "-" + component);
  }

  ConfigMap settings(String component) {
    return get(ConfigMap.class, Chart.RELEASE + "-" + component);
  }

  /**
   * Walks a parsed model object and collects the path of every field it kept aside as unknown.
   * Custom resources have no model: only their metadata is checked.
   */
  static void refuseUnknownFields(Object value, String path, List<String> unknown) {
    if (value == null) {
      return;
    }
    if (value instanceof Collection<?> items) {
      int i = 0;
      for (Object item : items) {
        refuseUnknownFields(item, path + "[" + i++ + "]", unknown);
      }
      return;
    }
    if (value instanceof Map<?, ?> map) {
      map.forEach((key, item) -> refuseUnknownFields(item, path + "." + key, unknown));
      return;
    }
    if (!value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
      return;
    }
    if (value instanceof GenericKubernetesResource custom) {
      refuseUnknownFields(custom.getMetadata(), path + ".metadata", unknown);
      return;
    }
    for (Method getter : value.getClass().getMethods()) {
      if (getter.getParameterCount() != 0
          || Modifier.isStatic(getter.getModifiers())
          || !getter.getName().startsWith("get")
          || getter.getName().equals("getClass")) {
        continue;
      }
      Object field;
      try {
        field = getter.invoke(value);
      } catch (IllegalAccessException | InvocationTargetException e) {
        continue; // a computed accessor, not a field
      }
      if (getter.getName().equals("getAdditionalProperties")) {
        if (field instanceof Map<?, ?> extra && !extra.isEmpty()) {
          extra.keySet().forEach(key -> unknown.add(path + "." + key));
        }
        continue;
      }
      String name = getter.getName().substring(3);
      refuseUnknownFields(
          field, path + "." + Character.toLowerCase(name.charAt(0)) + name.substring(1), unknown);
    }
  }
}
