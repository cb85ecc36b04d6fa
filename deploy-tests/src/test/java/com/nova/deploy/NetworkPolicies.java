package com.nova.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What rendered NetworkPolicies (networking.k8s.io/v1) allow, evaluated as the API defines it: a
 * pod is isolated for a direction when a policy of its namespace selects it with that policy type;
 * then a connection is allowed only when a rule of one of those policies admits the peer and the
 * port. Peers are pods (namespace and labels; a namespace's only known label is
 * {@code kubernetes.io/metadata.name}), concrete IPv4 addresses, or "some public address".
 *
 * <p>
 * One deliberate choice: an {@code ipBlock} never admits a pod. Kubernetes leaves it to the
 * network plugin whether pod (or Service) addresses match ipBlocks (Cilium's do not), so an
 * in-cluster peer must be admitted by a pod or namespace selector to count as reachable.
 */
final class NetworkPolicies {

    sealed interface Peer permits Pod, Address, AnyPublicAddress {
    }

    /**
     * A pod. {@code labels} null: a pod of that namespace whose labels the rendering does not show
     * (only a rule for every pod of the namespace admits it). {@code namedPorts}: its container ports by name.
     */
    record Pod(String namespace, Map<String, String> labels, Map<String, Integer> namedPorts) implements Peer {
        Pod(String namespace, Map<String, String> labels) {
            this(namespace, labels, Map.of());
        }

        Map<String, String> namespaceLabels() {
            return Map.of("kubernetes.io/metadata.name", namespace);
        }
    }

    /** A concrete IPv4 address outside the cluster's pods (a managed database, a literal in a URL). */
    record Address(String ip) implements Peer {
    }

    /** A host on the internet whose addresses the repository cannot know: admitted by an ipBlock that admits some public address. */
    record AnyPublicAddress(String host) implements Peer {
    }

    /** The address ranges that are not public (RFC 1918, loopback, link-local, CGNAT, "this network", multicast and reserved). */
    static final List<String> NOT_PUBLIC = List.of("0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
            "172.16.0.0/12", "192.168.0.0/16", "224.0.0.0/3");

    private final List<JsonNode> policies;

    NetworkPolicies(List<JsonNode> objects) {
        this.policies = Rendered.ofKind(objects, "NetworkPolicy");
    }

    /** The names of the policies that select this pod for the direction ("Ingress" or "Egress"). */
    List<String> selecting(Pod pod, String direction) {
        return policiesFor(pod, direction).stream().map(Rendered::name).toList();
    }

    boolean egressAllowed(Pod from, Peer to, String protocol, int port) {
        List<JsonNode> selecting = policiesFor(from, "Egress");
        if (selecting.isEmpty()) {
            return true;
        }
        for (JsonNode policy : selecting) {
            for (JsonNode rule : policy.at("/spec/egress")) {
                if (peersAdmit(rule.path("to"), Rendered.namespace(policy), to) && portsAdmit(rule.path("ports"), to, protocol, port)) {
                    return true;
                }
            }
        }
        return false;
    }

    boolean ingressAllowed(Pod to, Pod from, String protocol, int port) {
        List<JsonNode> selecting = policiesFor(to, "Ingress");
        if (selecting.isEmpty()) {
            return true;
        }
        for (JsonNode policy : selecting) {
            for (JsonNode rule : policy.at("/spec/ingress")) {
                if (peersAdmit(rule.path("from"), Rendered.namespace(policy), from) && portsAdmit(rule.path("ports"), to, protocol, port)) {
                    return true;
                }
            }
        }
        return false;
    }

    private List<JsonNode> policiesFor(Pod pod, String direction) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode p : policies) {
            if (!Rendered.namespace(p).equals(pod.namespace()) || !selects(p.at("/spec/podSelector"), pod.labels())) {
                continue;
            }
            JsonNode types = p.at("/spec/policyTypes");
            boolean applies;
            if (types.isArray() && !types.isEmpty()) {
                applies = false;
                for (JsonNode t : types) {
                    applies |= t.asText().equals(direction);
                }
            } else {
                applies = direction.equals("Ingress") || p.at("/spec/egress").isArray();
            }
            if (applies) {
                out.add(p);
            }
        }
        return out;
    }

    private static boolean peersAdmit(JsonNode peers, String policyNamespace, Peer peer) {
        if (peers.isMissingNode() || peers.isNull() || peers.isEmpty()) {
            return true; // no "to"/"from": every peer
        }
        for (JsonNode p : peers) {
            if (p.has("ipBlock")) {
                if (ipBlockAdmits(p.path("ipBlock"), peer)) {
                    return true;
                }
                continue;
            }
            if (!(peer instanceof Pod pod)) {
                continue;
            }
            boolean namespaceOk = p.has("namespaceSelector")
                    ? selects(p.path("namespaceSelector"), pod.namespaceLabels())
                    : pod.namespace().equals(policyNamespace);
            boolean podOk = !p.has("podSelector") || selects(p.path("podSelector"), pod.labels());
            if (namespaceOk && podOk) {
                return true;
            }
        }
        return false;
    }

    private static boolean ipBlockAdmits(JsonNode block, Peer peer) {
        String cidr = block.path("cidr").asText();
        List<String> except = new ArrayList<>();
        block.path("except").forEach(e -> except.add(e.asText()));
        if (cidr.contains(":")) {
            return false; // IPv6 blocks: the suite's endpoints are IPv4
        }
        if (peer instanceof Address a) {
            return contains(cidr, a.ip()) && except.stream().noneMatch(e -> contains(e, a.ip()));
        }
        if (peer instanceof AnyPublicAddress) {
            // Some public address is in cidr and in none of its exceptions: cidr is not inside a
            // non-public range, and not wholly inside one of its own exceptions.
            return NOT_PUBLIC.stream().noneMatch(r -> within(cidr, r)) && except.stream().noneMatch(e -> within(cidr, e));
        }
        return false; // pods: see the class comment
    }

    private static boolean portsAdmit(JsonNode ports, Peer to, String protocol, int port) {
        if (ports.isMissingNode() || ports.isNull() || ports.isEmpty()) {
            return true;
        }
        for (JsonNode p : ports) {
            if (!p.path("protocol").asText("TCP").equals(protocol)) {
                continue;
            }
            JsonNode value = p.path("port");
            if (value.isMissingNode() || value.isNull()) {
                return true; // every port of the protocol
            }
            if (value.isInt() || value.asText().matches("\\d+")) {
                int first = value.asInt();
                int last = p.path("endPort").asInt(first);
                if (port >= first && port <= last) {
                    return true;
                }
            } else if (to instanceof Pod pod && Integer.valueOf(port).equals(pod.namedPorts().get(value.asText()))) {
                return true;
            }
        }
        return false;
    }

    /** A label selector (matchLabels and matchExpressions); {@code {}} selects all, null labels (unknown) only then. */
    static boolean selects(JsonNode selector, Map<String, String> labels) {
        JsonNode matchLabels = selector.path("matchLabels");
        JsonNode expressions = selector.path("matchExpressions");
        if (matchLabels.isEmpty() && expressions.isEmpty()) {
            return true;
        }
        if (labels == null) {
            return false;
        }
        for (var it = matchLabels.fields(); it.hasNext();) {
            var e = it.next();
            if (!e.getValue().asText().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        for (JsonNode x : expressions) {
            String key = x.path("key").asText();
            Set<String> values = new java.util.HashSet<>();
            x.path("values").forEach(v -> values.add(v.asText()));
            boolean ok = switch (x.path("operator").asText()) {
                case "In" -> labels.containsKey(key) && values.contains(labels.get(key));
                case "NotIn" -> !labels.containsKey(key) || !values.contains(labels.get(key));
                case "Exists" -> labels.containsKey(key);
                case "DoesNotExist" -> !labels.containsKey(key);
                default -> throw new IllegalArgumentException("selector operator " + x);
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    static boolean isIpv4(String s) {
        return s.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    static boolean isPublic(String ip) {
        return NOT_PUBLIC.stream().noneMatch(r -> contains(r, ip));
    }

    static boolean contains(String cidr, String ip) {
        return within(ip + "/32", cidr);
    }

    /** Block {@code inner} lies wholly inside block {@code outer}. */
    static boolean within(String inner, String outer) {
        String[] i = inner.split("/");
        String[] o = outer.split("/");
        int innerBits = Integer.parseInt(i[1]);
        int outerBits = Integer.parseInt(o[1]);
        if (innerBits < outerBits) {
            return false;
        }
        long mask = outerBits == 0 ? 0 : (0xFFFFFFFFL << (32 - outerBits)) & 0xFFFFFFFFL;
        return (toLong(i[0]) & mask) == (toLong(o[0]) & mask);
    }

    private static long toLong(String ip) {
        long v = 0;
        for (String part : ip.split("\\.")) {
            v = (v << 8) | Integer.parseInt(part);
        }
        return v;
    }
}
