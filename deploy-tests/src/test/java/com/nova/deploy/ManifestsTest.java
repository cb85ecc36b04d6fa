package com.nova.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nova.deploy.NetworkPolicies.Address;
import com.nova.deploy.NetworkPolicies.AnyPublicAddress;
import com.nova.deploy.NetworkPolicies.Peer;
import com.nova.deploy.NetworkPolicies.Pod;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

/**
 * Every overlay renders, and every object it renders is a valid object of the Kubernetes API
 * (fabric8's model of it): a misspelt field, a field at the wrong level or a wrong type fails
 * here, not at kubectl apply. Then what an operator relies on is checked on the rendered objects.
 */
class ManifestsTest {

    static final Map<String, Class<?>> KINDS = Map.of(
            "apps/v1/Deployment", Deployment.class,
            "v1/Service", Service.class,
            "v1/ServiceAccount", ServiceAccount.class,
            "v1/ConfigMap", ConfigMap.class,
            "batch/v1/Job", Job.class,
            "networking.k8s.io/v1/Ingress", Ingress.class,
            "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class,
            "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class);

    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @ParameterizedTest
    @ValueSource(strings = { "staging", "prod", "prod-canary" })
    void everyRenderedObjectIsAValidKubernetesObject(String overlay) throws Exception {
        List<String> problems = new ArrayList<>();
        for (JsonNode o : Rendered.overlay(overlay)) {
            String key = o.path("apiVersion").asText() + "/" + o.path("kind").asText();
            Class<?> type = KINDS.get(key);
            if (type == null) {
                problems.add(Rendered.name(o) + ": unexpected kind " + key);
                continue;
            }
            Object model;
            try {
                model = JSON.treeToValue(o, type);
            } catch (Exception e) {
                problems.add(key + " " + Rendered.name(o) + ": " + e.getMessage().lines().findFirst().orElse(""));
                continue;
            }
            // fabric8 keeps fields it does not know in additionalProperties instead of failing.
            unknownFields(model, key + " " + Rendered.name(o), problems, new IdentityHashMap<>());
        }
        assertEquals(List.of(), problems);
    }

    private static void unknownFields(Object node, String path, List<String> problems, Map<Object, Boolean> seen) throws Exception {
        if (node == null || seen.put(node, true) != null) {
            return;
        }
        if (node instanceof Collection<?> c) {
            int i = 0;
            for (Object e : c) {
                unknownFields(e, path + "[" + i++ + "]", problems, seen);
            }
            return;
        }
        if (node instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                unknownFields(e.getValue(), path + "." + e.getKey(), problems, seen);
            }
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method m : node.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || !m.getName().startsWith("get")
                    || m.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value = m.invoke(node);
            if (m.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    problems.add(path + ": unknown field(s) " + extra.keySet());
                }
                continue;
            }
            unknownFields(value, path + "." + m.getName().substring(3, 4).toLowerCase() + m.getName().substring(4), problems, seen);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "staging", "prod" })
    void eachServiceHasWhatAnOperatorExpects(String overlay) throws Exception {
        List<JsonNode> all = Rendered.overlay(overlay);
        assertTrue(Rendered.ofKind(all, "Secret").isEmpty(), "no Secret is rendered: values never live in the repository");
        Set<String> names = all.stream().map(o -> o.path("kind").asText() + "/" + Rendered.name(o)).collect(Collectors.toSet());
        for (String service : Rendered.SERVICES) {
            for (String kind : List.of("Deployment", "Service", "ServiceAccount", "HorizontalPodAutoscaler",
                    "PodDisruptionBudget", "NetworkPolicy")) {
                assertTrue(names.contains(kind + "/" + service), overlay + ": " + kind + " " + service);
            }
            assertTrue(names.contains("Job/" + service + "-migrate"), overlay + ": the migration Job of " + service);
        }
        assertTrue(names.contains("NetworkPolicy/default-deny"));
        for (JsonNode d : Rendered.ofKind(all, "Deployment")) {
            Deployment dep = JSON.treeToValue(d, Deployment.class);
            var pod = dep.getSpec().getTemplate().getSpec();
            String name = dep.getMetadata().getName();
            assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot(), name + " runs as non-root");
            assertEquals(Boolean.FALSE, pod.getAutomountServiceAccountToken(), name + " has no API token");
            assertEquals("true", dep.getSpec().getTemplate().getMetadata().getAnnotations().get("prometheus.io/scrape"), name);
            assertEquals("/q/metrics", dep.getSpec().getTemplate().getMetadata().getAnnotations().get("prometheus.io/path"), name);
            assertEquals("8080", dep.getSpec().getTemplate().getMetadata().getAnnotations().get("prometheus.io/port"), name);
            assertEquals(185L, pod.getSecurityContext().getRunAsUser(), name + " runs as user 185");
            // A new pod stays unready until its migration Job ran: with none unavailable, the rollout waits for it.
            assertEquals("0", dep.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getValue().toString(), name + " maxUnavailable");
            assertTrue(pod.getVolumes().stream().anyMatch(v -> v.getName().equals("tmp") && v.getEmptyDir() != null), name + ": /tmp is an emptyDir");
            for (Container c : pod.getContainers()) {
                assertTrue(c.getImage().startsWith("registry.nova.example/nova/" + name + ":"), name + " image " + c.getImage());
                assertEquals("/q/health/live", c.getLivenessProbe().getHttpGet().getPath(), name);
                assertEquals("/q/health/ready", c.getReadinessProbe().getHttpGet().getPath(), name);
                assertEquals("/q/health/started", c.getStartupProbe().getHttpGet().getPath(), name);
                assertNotNull(c.getResources().getRequests().get("cpu"), name + " requests cpu");
                assertNotNull(c.getResources().getLimits().get("memory"), name + " limits memory");
                assertEquals(Boolean.TRUE, c.getSecurityContext().getReadOnlyRootFilesystem(), name + " read-only root");
                assertEquals(Boolean.FALSE, c.getSecurityContext().getAllowPrivilegeEscalation(), name);
                assertEquals(List.of("ALL"), c.getSecurityContext().getCapabilities().getDrop(), name + " drops all capabilities");
                assertTrue(c.getVolumeMounts().stream().anyMatch(m -> m.getName().equals("tmp") && m.getMountPath().equals("/tmp")), name + " mounts /tmp");
                assertTrue(c.getEnv().stream().noneMatch(e -> e.getName().contains("PASSWORD") && e.getValue() != null),
                        name + ": passwords come from Secret references only");
                assertTrue(c.getEnvFrom().stream().anyMatch(e -> e.getConfigMapRef() != null
                        && e.getConfigMapRef().getName().startsWith("nova-common")), name + " reads the common ConfigMap");
            }
            // Pods never migrate: only the Job turns migrate-at-start on.
            assertFalse(d.toString().contains("QUARKUS_FLYWAY_MIGRATE_AT_START"), name);
        }
        for (JsonNode j : Rendered.ofKind(all, "Job")) {
            assertTrue(j.toString().contains("QUARKUS_INIT_AND_EXIT") && j.toString().contains("QUARKUS_FLYWAY_MIGRATE_AT_START"),
                    Rendered.name(j) + " migrates and exits");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "prod-canary" })
    void theCanaryIsASecondTrackBehindAWeightedIngress(String overlay) throws Exception {
        List<JsonNode> all = Rendered.overlay(overlay);
        List<JsonNode> ingresses = Rendered.ofKind(all, "Ingress");
        assertEquals(1, ingresses.size());
        JsonNode annotations = ingresses.get(0).path("metadata").path("annotations");
        assertEquals("true", annotations.path("nginx.ingress.kubernetes.io/canary").asText());
        int weight = Integer.parseInt(annotations.path("nginx.ingress.kubernetes.io/canary-weight").asText());
        assertTrue(weight >= 0 && weight <= 100);
        for (JsonNode d : Rendered.ofKind(all, "Deployment")) {
            assertEquals("canary", d.at("/spec/selector/matchLabels/track").asText(), Rendered.name(d));
            assertEquals("canary", d.at("/spec/template/metadata/labels/track").asText(), Rendered.name(d));
        }
        for (JsonNode s : Rendered.ofKind(all, "Service")) {
            assertEquals("canary", s.at("/spec/selector/track").asText(), Rendered.name(s));
        }
        assertTrue(Rendered.ofKind(all, "Job").isEmpty(), "migrations run once per release, not per track");
        // NGINX needs the canary Ingress to carry exactly the stable one's host and paths.
        JsonNode stable = Rendered.ofKind(Rendered.overlay("prod"), "Ingress").get(0);
        assertEquals(stable.at("/spec/rules/0/host"), ingresses.get(0).at("/spec/rules/0/host"));
        List<String> stablePaths = new ArrayList<>();
        stable.at("/spec/rules/0/http/paths").forEach(p -> stablePaths.add(p.path("path").asText()));
        List<String> canaryPaths = new ArrayList<>();
        ingresses.get(0).at("/spec/rules/0/http/paths").forEach(p -> canaryPaths.add(p.path("path").asText()));
        assertEquals(stablePaths, canaryPaths);
    }

    // ---------------------------------------------------------------------------------------
    // Network reachability: every endpoint a pod's configuration names is allowed by the
    // NetworkPolicies that select it (and, for in-namespace peers, by the peer's ingress policy).

    /**
     * Where the Secrets that hold an endpoint point, per namespace: the shape
     * deploy/k8s/secrets/README.md documents (checked below), since no value is in the repository.
     */
    static final Map<String, Map<String, String>> SECRET_ENDPOINTS = Map.of(
            "nova", Map.of("nova-redis/url", "redis://:password@redis.nova-data.svc:6379"),
            "nova-staging", Map.of("nova-redis/url", "redis://:password@redis.nova-staging-data.svc:6379"));

    /** Properties whose value (a URL, or a comma-separated list of them) a service connects to. */
    static final Pattern CONNECTS_TO = Pattern.compile("mp\\.jwt\\.verify\\.publickey\\.location|quarkus\\.datasource\\.(reactive|jdbc)\\.url"
            + "|quarkus\\.redis\\.hosts|quarkus\\.rest-client\\.[^.]+\\.url|quarkus\\.otel\\.exporter\\.otlp(\\.traces)?\\.endpoint");

    /** URL-valued properties that no service connects to (an identifier; a URL told to front ends). */
    static final Set<String> NAMES_ONLY = Set.of("mp.jwt.verify.issuer", "wallet.frontend.api-base-url");

    /**
     * Variables of URLs told to front ends, read by a mapping and no properties file: the driver app's browser
     * signs in at the IdP's OAuth endpoints; wallet-service itself never calls them.
     */
    static final Set<String> FRONT_END_URL_VARIABLES = Set.of("WALLET_FRONTEND_IDENTITY_AUTHORIZATION_ENDPOINT",
            "WALLET_FRONTEND_IDENTITY_TOKEN_ENDPOINT");

    /**
     * Endpoints that come from data, not configuration: auction-service's delivery workers post
     * leads to each buyer's deliveryUrl, which buyer-registry accepts in prod only as https to
     * public addresses (DeliveryUrlPolicy).
     */
    static final Map<String, List<String>> DATA_ENDPOINTS = Map.of("auction-service", List.of("https://buyer-endpoint.example/leads"));

    static final Pod KUBE_DNS = new Pod("kube-system", Map.of("k8s-app", "kube-dns"));

    record Endpoint(String source, String url) {
    }

    static Map<String, String> labels(JsonNode node) {
        Map<String, String> labels = new HashMap<>();
        node.fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        return labels;
    }

    /** The pod a workload (Deployment or Job) runs, with its container ports by name. */
    static Pod podOf(JsonNode workload) {
        Map<String, Integer> ports = new HashMap<>();
        for (JsonNode c : workload.at("/spec/template/spec/containers")) {
            c.path("ports").forEach(p -> {
                if (p.has("name")) {
                    ports.put(p.path("name").asText(), p.path("containerPort").asInt());
                }
            });
        }
        return new Pod(Rendered.namespace(workload), labels(workload.at("/spec/template/metadata/labels")), ports);
    }

    /** The overlay's objects, and what its pods live among: the canary runs in prod's namespace, under prod's policies and Services. */
    static List<JsonNode> world(String overlay, List<JsonNode> rendered) throws Exception {
        List<JsonNode> world = new ArrayList<>(rendered);
        if (overlay.equals("prod-canary")) {
            world.addAll(Rendered.overlay("prod"));
        }
        return world;
    }

    /** Every endpoint this configuration makes the service connect to; what cannot be classified is a problem. */
    static List<Endpoint> endpoints(ServiceConfiguration config, Map<String, String> env, String what, List<String> problems) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (String name : config.names()) {
            String value;
            try {
                value = config.get(name).orElse("");
            } catch (IllegalStateException e) {
                problems.add(what + ": " + e.getMessage());
                continue;
            }
            if (CONNECTS_TO.matcher(name).matches()) {
                if (name.startsWith("quarkus.otel.") && config.get("quarkus.otel.sdk.disabled").orElse("false").equals("true")) {
                    continue;
                }
                if (name.equals("mp.jwt.verify.publickey.location") && !value.startsWith("https://")) {
                    problems.add(what + " verifies tokens against " + value + ", not the identity provider's JWKS over HTTPS");
                    continue;
                }
                for (String url : value.split(",")) {
                    if (!url.isBlank()) {
                        endpoints.add(new Endpoint(name, url.trim()));
                    }
                }
            } else if (value.contains("://") && !NAMES_ONLY.contains(name)) {
                problems.add(what + ": " + name + "=" + value + " looks like an endpoint; say in ManifestsTest whether the service connects to it");
            }
        }
        env.forEach((var, value) -> {
            if (!value.contains("://") || FRONT_END_URL_VARIABLES.contains(var)) {
                return;
            }
            Set<String> readers = config.readersOf(var);
            if (readers.stream().noneMatch(r -> CONNECTS_TO.matcher(r).matches() || NAMES_ONLY.contains(r))) {
                problems.add(what + ": " + var + "=" + value + " is read by " + (readers.isEmpty() ? "no property" : readers)
                        + " the test knows; say in ManifestsTest whether the service connects to it");
            }
        });
        return endpoints;
    }

    static int defaultPort(String scheme) {
        return switch (scheme) {
            case "http" -> 80;
            case "https" -> 443;
            case "redis", "rediss" -> 6379;
            case "postgresql", "postgres" -> 5432;
            default -> -1;
        };
    }

    static final Pattern SERVICE_HOST = Pattern.compile("([a-z0-9]([-a-z0-9]*[a-z0-9])?)(\\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)\\.svc(\\.cluster\\.local)?)?");

    /** Checks one endpoint of one pod; returns whether it needed a DNS lookup. */
    static boolean check(Pod self, String what, Endpoint e, List<JsonNode> world, NetworkPolicies policies, List<String> problems) {
        String url = e.url().startsWith("jdbc:") ? e.url().substring(5) : e.url();
        String where = what + " -> " + e.url() + " (" + e.source() + ")";
        if (url.contains("<secret ")) {
            problems.add(where + ": the endpoint is in a Secret; add its documented shape to SECRET_ENDPOINTS");
            return false;
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException x) {
            problems.add(where + ": not a URL (" + x.getMessage() + ")");
            return false;
        }
        String host = uri.getHost();
        int port = uri.getPort() >= 0 ? uri.getPort() : defaultPort(String.valueOf(uri.getScheme()));
        if (host == null || port < 0) {
            problems.add(where + ": no host or port");
            return false;
        }
        host = host.toLowerCase();
        if (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]")) {
            problems.add(where + ": the pod itself; in a cluster this must name the peer (a default used because a setting is missing?)");
            return false;
        }
        if (NetworkPolicies.isIpv4(host)) {
            if (!policies.egressAllowed(self, new Address(host), "TCP", port)) {
                problems.add(where + ": no egress rule admits " + host + ":" + port);
            }
            return false;
        }
        Matcher m = SERVICE_HOST.matcher(host);
        if (!m.matches()) {
            if (!policies.egressAllowed(self, new AnyPublicAddress(host), "TCP", port)) {
                problems.add(where + ": no egress rule admits a public address on TCP " + port);
            }
            return true;
        }
        String service = m.group(1);
        String namespace = m.group(4) == null ? self.namespace() : m.group(4);
        Optional<JsonNode> svc = Rendered.find(world, "Service", namespace, service);
        boolean ours = world.stream().anyMatch(o -> Rendered.namespace(o).equals(namespace));
        if (svc.isEmpty()) {
            if (ours) {
                problems.add(where + ": no Service " + service + " in " + namespace);
            } else if (!policies.egressAllowed(self, new Pod(namespace, null), "TCP", port)) {
                // Another namespace's Service (the data tier, the collector): its pods' labels are
                // not in this repository, so a rule must admit every pod of that namespace on the port.
                problems.add(where + ": no egress rule admits the pods of namespace " + namespace + " on TCP " + port);
            }
            return true;
        }
        JsonNode servicePort = null;
        for (JsonNode p : svc.get().at("/spec/ports")) {
            if (p.path("port").asInt() == port) {
                servicePort = p;
            }
        }
        if (servicePort == null) {
            problems.add(where + ": Service " + service + " has no port " + port);
            return true;
        }
        JsonNode targetPort = servicePort.path("targetPort");
        Map<String, String> selector = labels(svc.get().at("/spec/selector"));
        List<JsonNode> targets = Rendered.ofKind(world, "Deployment").stream()
                .filter(d -> Rendered.namespace(d).equals(namespace))
                .filter(d -> labels(d.at("/spec/template/metadata/labels")).entrySet().containsAll(selector.entrySet()))
                .toList();
        if (selector.isEmpty() || targets.isEmpty()) {
            problems.add(where + ": Service " + service + " selects no pod");
        }
        for (JsonNode target : targets) {
            Pod peer = podOf(target);
            Integer podPort = targetPort.isMissingNode() ? Integer.valueOf(port)
                    : targetPort.isInt() ? Integer.valueOf(targetPort.asInt()) : peer.namedPorts().get(targetPort.asText());
            if (podPort == null) {
                problems.add(where + ": " + Rendered.name(target) + " has no port " + targetPort.asText());
                continue;
            }
            if (!policies.egressAllowed(self, peer, "TCP", podPort)) {
                problems.add(where + ": no egress rule admits " + Rendered.name(target) + " pods on TCP " + podPort);
            }
            if (!policies.ingressAllowed(peer, self, "TCP", podPort)) {
                problems.add(where + ": " + Rendered.name(target) + "'s ingress rules do not admit this pod on TCP " + podPort);
            }
        }
        return true;
    }

    /**
     * For each rendered overlay, each pod (Deployments and migration Jobs) against every endpoint
     * its configuration names, resolved as the service resolves it (ConfigMaps, env, the
     * services' and the kit's defaults): in-cluster Services become their target pods (egress of
     * the caller, ingress of the callee), other namespaces' Services a rule for that namespace,
     * external hosts an ipBlock rule admitting public addresses on the port, and DNS (UDP and
     * TCP 53 to kube-dns) for every name.
     */
    @ParameterizedTest
    @ValueSource(strings = { "staging", "prod", "prod-canary" })
    void everyEndpointAPodIsConfiguredToCallIsAllowedByTheNetworkPolicies(String overlay) throws Exception {
        List<JsonNode> rendered = Rendered.overlay(overlay);
        List<JsonNode> world = world(overlay, rendered);
        NetworkPolicies policies = new NetworkPolicies(world);
        List<String> problems = new ArrayList<>();
        Set<String> services = new LinkedHashSet<>();
        int checked = 0;
        for (JsonNode w : Rendered.workloads(rendered)) {
            String namespace = Rendered.namespace(w);
            String service = Rendered.serviceOf(w);
            String what = overlay + " " + w.path("kind").asText() + "/" + Rendered.name(w);
            Pod self = podOf(w);
            services.add(service);
            if (policies.selecting(self, "Egress").isEmpty()) {
                problems.add(what + ": no NetworkPolicy isolates it (default-deny missing?)");
            }
            if (w.path("kind").asText().equals("Deployment")) {
                // Requests come in through the ingress controller; Prometheus scrapes /q/metrics.
                for (String from : List.of("ingress-nginx", "monitoring")) {
                    if (!policies.ingressAllowed(self, new Pod(from, null), "TCP", self.namedPorts().get("http"))) {
                        problems.add(what + ": its ingress rules do not admit " + from + " on its http port");
                    }
                }
            }
            for (JsonNode container : w.at("/spec/template/spec/containers")) {
                Map<String, String> env = Rendered.environment(container, namespace, world,
                        (secret, key) -> SECRET_ENDPOINTS.getOrDefault(namespace, Map.of())
                                .getOrDefault(secret + "/" + key, "<secret " + secret + "/" + key + ">"));
                ServiceConfiguration config = ServiceConfiguration.of(service, env);
                assertEquals("prod", config.profile, what);
                List<Endpoint> endpoints = endpoints(config, env, what, problems);
                if (w.path("kind").asText().equals("Deployment")) {
                    DATA_ENDPOINTS.getOrDefault(service, List.of()).forEach(u -> endpoints.add(new Endpoint("buyers' delivery URLs", u)));
                }
                boolean names = false;
                for (Endpoint e : endpoints) {
                    names |= check(self, what, e, world, policies, problems);
                    checked++;
                }
                if (names) {
                    for (String protocol : List.of("UDP", "TCP")) {
                        if (!policies.egressAllowed(self, KUBE_DNS, protocol, 53)) {
                            problems.add(what + ": no egress rule admits DNS (" + protocol + " 53 to kube-dns)");
                        }
                    }
                }
            }
        }
        assertTrue(problems.isEmpty(), problems.size() + " endpoint(s) the NetworkPolicies do not allow:\n" + String.join("\n", problems));
        assertEquals(Set.copyOf(Rendered.SERVICES), services, overlay + ": every service's pods were checked");
        assertTrue(checked >= 4 * Rendered.SERVICES.size(), overlay + ": " + checked + " endpoints checked");
        if (!overlay.equals("prod-canary")) {
            String secrets = Files.readString(Rendered.K8S.resolve("secrets/README.md"));
            SECRET_ENDPOINTS.get(overlay.equals("prod") ? "nova" : "nova-staging").values().forEach(u -> assertTrue(
                    secrets.contains(u.replaceFirst("^.*@", "")), "deploy/k8s/secrets/README.md documents " + u));
        }
    }

    /** The same evaluation denies what no service needs: the policies are a fence, not a formality. */
    @ParameterizedTest
    @ValueSource(strings = { "staging", "prod" })
    void theNetworkPoliciesAdmitNothingElse(String overlay) throws Exception {
        List<JsonNode> all = Rendered.overlay(overlay);
        NetworkPolicies policies = new NetworkPolicies(all);
        Map<String, Pod> pods = new HashMap<>();
        Rendered.ofKind(all, "Deployment").forEach(d -> pods.put(Rendered.name(d), podOf(d)));
        String namespace = pods.get("wallet-service").namespace();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Pod> e : pods.entrySet()) {
            Pod self = e.getValue();
            String what = overlay + " " + e.getKey();
            if (policies.egressAllowed(self, new AnyPublicAddress("example.com"), "TCP", 80)) {
                problems.add(what + " reaches the internet on TCP 80");
            }
            if (policies.egressAllowed(self, new Address("10.20.30.40"), "TCP", 443)) {
                problems.add(what + " reaches a private address on TCP 443 (public HTTPS only)");
            }
            if (policies.egressAllowed(self, new Address("169.254.169.254"), "TCP", 80)) {
                problems.add(what + " reaches the cloud metadata address");
            }
            if (policies.egressAllowed(self, new Pod("kube-system", Map.of("k8s-app", "metrics-server")), "UDP", 53)) {
                problems.add(what + " reaches pods other than kube-dns on port 53");
            }
            if (policies.egressAllowed(self, pods.get("wallet-service"), "TCP", 8080)) {
                problems.add(what + " reaches wallet-service pods, which nobody calls");
            }
            boolean callsRegistry = e.getKey().equals("webhook-gateway") || e.getKey().equals("auction-service");
            if (!callsRegistry && !e.getKey().equals("buyer-registry")) {
                if (policies.egressAllowed(self, pods.get("buyer-registry"), "TCP", 8080)) {
                    problems.add(what + " may call buyer-registry");
                }
                if (policies.ingressAllowed(pods.get("buyer-registry"), self, "TCP", 8080)) {
                    problems.add("buyer-registry admits " + what);
                }
            }
        }
        Pod stranger = new Pod(namespace, Map.of("app", "debug"));
        for (Peer peer : List.of(new AnyPublicAddress("idp.example"), KUBE_DNS, pods.get("buyer-registry"))) {
            for (int port : List.of(443, 53, 8080)) {
                if (policies.egressAllowed(stranger, peer, "TCP", port)) {
                    problems.add("a pod that is not the suite's reaches " + peer + " on " + port);
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }
}
