package com.nova.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The public Ingress against the services' own OpenAPI documents: every path a service serves
 * reaches that service and no other; /internal/ and /q/ paths reach nothing; every routed prefix
 * leads somewhere real.
 */
class IngressRoutingTest {

    record Route(String prefix, String service) {
    }

    static List<Route> routes() throws Exception {
        JsonNode ingress = Rendered.ofKind(Rendered.overlay("prod"), "Ingress").get(0);
        List<Route> routes = new ArrayList<>();
        for (JsonNode rule : ingress.at("/spec/rules")) {
            for (JsonNode p : rule.at("/http/paths")) {
                assertEquals("Prefix", p.path("pathType").asText(), "only Prefix paths: their matching is defined");
                routes.add(new Route(p.path("path").asText(), p.at("/backend/service/name").asText()));
            }
        }
        return routes;
    }

    /** Kubernetes Prefix matching: element-wise on '/', the longest matching prefix wins. */
    static String routedTo(List<Route> routes, String path) {
        Route best = null;
        for (Route r : routes) {
            String prefix = r.prefix().endsWith("/") ? r.prefix().substring(0, r.prefix().length() - 1) : r.prefix();
            boolean matches = prefix.isEmpty() || path.equals(prefix) || path.startsWith(prefix + "/");
            if (matches && (best == null || prefix.length() > best.prefix().length())) {
                best = r;
            }
        }
        return best == null ? null : best.service();
    }

    @Test
    void everyServicePathIsRoutedToItsServiceAndOnlyThere() throws Exception {
        List<Route> routes = routes();
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (String service : Rendered.SERVICES) {
            for (Iterator<String> it = Rendered.openApi(service).path("paths").fieldNames(); it.hasNext();) {
                String path = it.next();
                String target = routedTo(routes, path);
                checked++;
                if (path.startsWith("/internal/") || path.startsWith("/q/")) {
                    if (target != null) {
                        problems.add(service + " " + path + " must not be public, but reaches " + target);
                    }
                } else if (!service.equals(target)) {
                    problems.add(service + " " + path + " reaches " + target);
                }
            }
        }
        assertEquals(List.of(), problems);
        assertTrue(checked > 30, "the documents list the services' paths (" + checked + ")");
    }

    @Test
    void theDriverAppAndItsAssetsReachWalletService() throws Exception {
        // The assets are the page's files, not API operations: no OpenAPI document lists them.
        List<Route> routes = routes();
        for (String path : List.of("/app", "/app/", "/app/assets/app.0123456789abcdef.js")) {
            assertEquals("wallet-service", routedTo(routes, path), path);
        }
    }

    @Test
    void operationalAndInternalEndpointsAreNeverRouted() throws Exception {
        List<Route> routes = routes();
        for (String path : List.of("/q/health/ready", "/q/metrics", "/q/openapi", "/internal/buyers/eligible", "/", "/v1")) {
            assertEquals(null, routedTo(routes, path), path);
        }
    }

    @Test
    void everyRoutedPrefixLeadsToPathsOfItsService() throws Exception {
        for (Route r : routes()) {
            boolean served = false;
            for (Iterator<String> it = Rendered.openApi(r.service()).path("paths").fieldNames(); it.hasNext();) {
                String path = it.next();
                served |= path.equals(r.prefix()) || path.startsWith(r.prefix() + "/");
            }
            assertTrue(served, r + " routes to a prefix its service does not serve");
        }
    }
}
