package io.plinth.provisioning.identity;

import io.plinth.platform.config.ConfigException;
import io.plinth.platform.config.ConfigSource;
import io.plinth.platform.config.Parsers;
import io.plinth.platform.config.Secret;
import io.plinth.platform.config.Setting;
import io.plinth.platform.registry.IdentityMode;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How the control plane reaches Keycloak: one instance ({@code plinth.identity.keycloak.url}) or
 * several by name ({@code plinth.identity.keycloak.instances}), the master realm's administrator,
 * the cap of tenant realms per instance, and the platform realm's clients. Without an instance the
 * control plane runs without identity: tenants get no realm and {@code /admin/v1} takes operator
 * keys only.
 */
public record IdentitySettings(
    List<KeycloakInstance> instances,
    String adminUser,
    Secret adminPassword,
    int realmsPerInstance,
    IdentityMode defaultMode,
    List<String> consoleRedirectUris,
    Secret automationSecret,
    Optional<FirstOperator> firstOperator,
    Duration requestTimeout,
    Duration retryMaxDelay) {

  /** The name the single instance of {@link #KEYCLOAK_URL} gets. */
  public static final String DEFAULT_INSTANCE = "default";

  private static final Pattern INSTANCE_NAME = Pattern.compile("[a-z][a-z0-9-]{0,39}");

  public static final Setting<Optional<URI>> KEYCLOAK_URL =
      Setting.of(
          "plinth.identity.keycloak.url",
          "",
          "Control plane: base URL of the one Keycloak that holds the platform realm and tenant"
              + " realms, as end users' apps reach it (it is the tokens' issuer), e.g."
              + " https://id.example.com. Empty (and no instances): no identity, operator keys only.",
          text -> text.isBlank() ? Optional.empty() : Optional.of(httpUrl(text)));
  public static final Setting<List<KeycloakInstance>> KEYCLOAK_INSTANCES =
      Setting.of(
          "plinth.identity.keycloak.instances",
          "",
          "Control plane: several Keycloak clusters as name=url,name=url (names: lowercase letters,"
              + " digits, '-'); tenant realms are placed on the one with the fewest realms under"
              + " its cap; the first holds the platform and shared realms. Instead of"
              + " plinth.identity.keycloak.url.",
          Parsers.listOf(IdentitySettings::parseInstance));
  public static final Setting<String> ADMIN_USER =
      Setting.of(
          "plinth.identity.keycloak.admin-user",
          "admin",
          "Control plane: the master realm's administrator, used at start only, to make the"
              + " platform realm and on every instance the client plinth-realm-creator (which"
              + " creates tenant realms), and to remove a realm whose own account is refused.",
          Parsers::nonBlank);
  public static final Setting<Secret> ADMIN_PASSWORD =
      Setting.secret(
          "plinth.identity.keycloak.admin-password",
          "",
          "Control plane: that administrator's password (never logged); required with Keycloak."
              + " The secrets of plinth-realm-creator (set again at the next start) and of each"
              + " realm's plinth-provisioner are derived from it.",
          Parsers::secret);
  public static final Setting<Integer> REALMS_PER_INSTANCE =
      Setting.of(
          "plinth.identity.realms-per-instance",
          "300",
          "Control plane: most tenant realms placed on one Keycloak instance; when every instance"
              + " holds that many, creating a realm-mode tenant fails with the reason.",
          Parsers.intBetween(1, 100_000));
  public static final Setting<IdentityMode> DEFAULT_MODE =
      Setting.of(
          "plinth.identity.default-mode",
          "realm",
          "Control plane: identity mode of a tenant created without one: realm (its own Keycloak"
              + " realm) or organization (an Organization in the shared realm).",
          IdentitySettings::defaultMode);
  public static final Setting<List<String>> CONSOLE_REDIRECT_URIS =
      Setting.of(
          "plinth.identity.console.redirect-uris",
          "http://127.0.0.1:8081/*,http://localhost:8081/*",
          "Control plane: comma-separated redirect URIs of the console's client plinth-console in"
              + " the platform realm (set when the realm is first made).",
          Parsers.listOf(Parsers::nonBlank));
  public static final Setting<Secret> AUTOMATION_SECRET =
      Setting.secret(
          "plinth.identity.automation-secret",
          "",
          "Control plane: client secret of plinth-automation (client credentials, role"
              + " platform-admin) when the platform realm is first made; empty lets Keycloak"
              + " generate one, readable in Keycloak's admin console only. Never logged.",
          Parsers::secret);
  public static final Setting<String> FIRST_OPERATOR =
      Setting.of(
          "plinth.identity.console.first-operator",
          "",
          "Control plane: username of an operator (role platform-admin) made in the platform realm"
              + " when the realm is first made, to sign in to the console the first time; empty"
              + " makes none (add operators in Keycloak's admin console).",
          String::trim);
  public static final Setting<Secret> FIRST_OPERATOR_PASSWORD =
      Setting.secret(
          "plinth.identity.console.first-operator-password",
          "",
          "Control plane: that operator's password (never logged); required with"
              + " plinth.identity.console.first-operator. Change it in Keycloak after signing in.",
          Parsers::secret);
  public static final Setting<Duration> REQUEST_TIMEOUT =
      Setting.of(
          "plinth.identity.keycloak.timeout",
          "30s",
          "Control plane: longest a Keycloak admin call may take before it counts as Keycloak"
              + " being unavailable (and is retried).",
          Parsers::duration);
  public static final Setting<Duration> RETRY_MAX_DELAY =
      Setting.of(
          "plinth.identity.retry-max-delay",
          "30s",
          "Control plane: while Keycloak is unavailable, tenants' identity steps are retried with"
              + " a backoff that doubles from 1 s up to this delay.",
          Parsers::duration);

  public static final List<Setting<?>> ALL =
      List.of(
          KEYCLOAK_URL,
          KEYCLOAK_INSTANCES,
          ADMIN_USER,
          ADMIN_PASSWORD,
          REALMS_PER_INSTANCE,
          DEFAULT_MODE,
          CONSOLE_REDIRECT_URIS,
          AUTOMATION_SECRET,
          FIRST_OPERATOR,
          FIRST_OPERATOR_PASSWORD,
          REQUEST_TIMEOUT,
          RETRY_MAX_DELAY);

  /** Whether a Keycloak is configured at all. */
  public boolean enabled() {
    return !instances.isEmpty();
  }

  /** The instance that holds the platform realm and the shared realm. */
  public KeycloakInstance primary() {
    return instances.get(0);
  }

  public Optional<KeycloakInstance> instance(String name) {
    return instances.stream().filter(i -> i.name().equals(name)).findFirst();
  }

  public static IdentitySettings load(ConfigSource source) {
    Optional<URI> url = source.value(KEYCLOAK_URL);
    List<KeycloakInstance> named = source.value(KEYCLOAK_INSTANCES);
    List<String> problems = new ArrayList<>();
    if (url.isPresent() && !named.isEmpty()) {
      problems.add(
          "Set either "
              + KEYCLOAK_URL.environmentVariable()
              + " or "
              + KEYCLOAK_INSTANCES.environmentVariable()
              + ", not both");
    }
    Set<String> names = new HashSet<>();
    for (KeycloakInstance i : named) {
      if (!names.add(i.name())) {
        problems.add(
            "Invalid setting "
                + KEYCLOAK_INSTANCES.environmentVariable()
                + ": instance '"
                + i.name()
                + "' is named twice");
      }
    }
    List<KeycloakInstance> instances =
        url.map(u -> List.of(new KeycloakInstance(DEFAULT_INSTANCE, u))).orElse(named);
    Secret password = source.value(ADMIN_PASSWORD);
    if (!instances.isEmpty() && password.isEmpty()) {
      problems.add(
          ADMIN_PASSWORD.environmentVariable() + " is required when a Keycloak is configured");
    }
    Optional<FirstOperator> firstOperator = firstOperator(source, problems);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new IdentitySettings(
        instances,
        source.value(ADMIN_USER),
        password,
        source.value(REALMS_PER_INSTANCE),
        source.value(DEFAULT_MODE),
        source.value(CONSOLE_REDIRECT_URIS),
        source.value(AUTOMATION_SECRET),
        firstOperator,
        source.value(REQUEST_TIMEOUT),
        source.value(RETRY_MAX_DELAY));
  }

  private static Optional<FirstOperator> firstOperator(ConfigSource source, List<String> problems) {
    String username = source.value(FIRST_OPERATOR);
    Secret password = source.value(FIRST_OPERATOR_PASSWORD);
    if (username.isEmpty()) {
      return Optional.empty();
    }
    if (!FirstOperator.USERNAME.matcher(username).matches()) {
      problems.add(
          "Invalid setting "
              + FIRST_OPERATOR.environmentVariable()
              + ": lowercase letters, digits, '.', '_', '-', '@', 1 to 64 characters");
    }
    if (password.isEmpty()) {
      problems.add(
          FIRST_OPERATOR_PASSWORD.environmentVariable()
              + " is required with "
              + FIRST_OPERATOR.environmentVariable());
    }
    return Optional.of(new FirstOperator(username, password));
  }

  static KeycloakInstance parseInstance(String text) {
    int eq = text.indexOf('=');
    if (eq < 0) {
      throw new IllegalArgumentException("expected name=url, got '" + text + "'");
    }
    String name = text.substring(0, eq).trim();
    if (!INSTANCE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "instance name '" + name + "': a lowercase letter, then lowercase letters, digits, '-'");
    }
    return new KeycloakInstance(name, httpUrl(text.substring(eq + 1)));
  }

  /** An http(s) URL without query or user info, its trailing slashes dropped; else refused. */
  public static URI httpUrl(String text) {
    String t = text.trim();
    while (t.endsWith("/")) {
      t = t.substring(0, t.length() - 1);
    }
    try {
      URI uri = new URI(t);
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null
          && uri.getQuery() == null
          && uri.getUserInfo() == null) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw new IllegalArgumentException("expected an http(s) URL such as https://id.example.com");
  }

  private static IdentityMode defaultMode(String text) {
    IdentityMode mode =
        IdentityMode.ofWire(text.trim().toLowerCase(Locale.ROOT))
            .orElseThrow(() -> new IllegalArgumentException("expected realm or organization"));
    if (mode == IdentityMode.EXTERNAL) {
      throw new IllegalArgumentException(
          "expected realm or organization (external needs an issuer per tenant)");
    }
    return mode;
  }
}
