package com.nova.wallet.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.nova.kit.text.Digests;
import com.nova.wallet.config.WalletConfig;

import io.quarkus.runtime.Startup;
import io.quarkus.runtime.configuration.ConfigUtils;

/**
 * The driver's web app (plain JavaScript modules and CSS from {@code src/main/resources/app}, no
 * build step): its assets are served under names that carry a digest of their content, so they
 * can be cached for a year and a release is never mixed with the last one; the page that names
 * them is rendered once at start-up. Its Content-Security-Policy allows scripts and styles from
 * this origin only (no inline script, no eval) and connections to this origin, the configured
 * API and the identity provider's token endpoint.
 */
@Startup // a misconfigured URL stops the start, not the first driver
@ApplicationScoped
public class DriverApp {

    /** A versioned file: its bytes and media type. */
    public record Asset(byte[] bytes, String mediaType) {
    }

    private static final Map<String, String> FILES = Map.of("app.js", "text/javascript; charset=utf-8", "app.css",
            "text/css; charset=utf-8", "icon.svg", "image/svg+xml");

    private final Map<String, Asset> assets = new LinkedHashMap<>();
    private final String page;
    private final String policy;

    public DriverApp(WalletConfig wallet) {
        Map<String, String> names = new LinkedHashMap<>();
        FILES.forEach((file, type) -> {
            byte[] bytes = read(file);
            int dot = file.lastIndexOf('.');
            String versioned = file.substring(0, dot) + "." + Digests.sha256Hex(bytes).substring(0, 16) + file.substring(dot);
            assets.put(versioned, new Asset(bytes, type));
            names.put(file, "/app/assets/" + versioned);
        });
        String html = new String(read("index.html"), StandardCharsets.UTF_8);
        for (Map.Entry<String, String> name : names.entrySet()) {
            html = html.replace("{{" + name.getKey() + "}}", name.getValue());
        }
        if (html.contains("{{")) {
            throw new IllegalStateException("app/index.html names an asset that is not served: " + html);
        }
        this.page = html;
        WalletConfig.Identity idp = wallet.frontend().identity();
        if (idp.authorizationEndpoint().isPresent() != idp.tokenEndpoint().isPresent()) {
            throw new IllegalStateException("wallet.frontend.identity: set both authorization-endpoint and token-endpoint, or neither");
        }
        // Outside the local, dev and test profiles the identity provider is reached over TLS only.
        boolean plainHttpAllowed = ConfigUtils.getProfiles().stream().anyMatch(p -> Set.of("local", "dev", "test").contains(p));
        Set<String> connect = new LinkedHashSet<>();
        connect.add("'self'");
        origin("wallet.frontend.api-base-url", wallet.frontend().apiBaseUrl(), true, true).ifPresent(connect::add);
        idp.tokenEndpoint().flatMap(url -> origin("wallet.frontend.identity.token-endpoint", url, false, plainHttpAllowed))
                .ifPresent(connect::add);
        idp.authorizationEndpoint().ifPresent(url -> origin("wallet.frontend.identity.authorization-endpoint", url, false, plainHttpAllowed));
        this.policy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src "
                + String.join(" ", connect) + "; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";
    }

    /** The page (never cached: it names the current assets). */
    public String page() {
        return page;
    }

    /** The page's Content-Security-Policy. */
    public String policy() {
        return policy;
    }

    public Optional<Asset> asset(String versionedName) {
        return Optional.ofNullable(assets.get(versionedName));
    }

    /** An absolute URL's origin for the policy; a relative API base (e.g. "/") is this origin and adds nothing. */
    private static Optional<String> origin(String property, String url, boolean relativeAllowed, boolean plainHttpAllowed) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(property + " is not a URL: " + url, e);
        }
        if (uri.getScheme() == null && relativeAllowed && url.startsWith("/") && !url.startsWith("//")) {
            return Optional.empty();
        }
        if (!"https".equals(uri.getScheme()) && !(plainHttpAllowed && "http".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalStateException(property + " must be an absolute " + (plainHttpAllowed ? "http(s)" : "https") + " URL: " + url);
        }
        return Optional.of(uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()));
    }

    private static byte[] read(String file) {
        try (InputStream in = DriverApp.class.getClassLoader().getResourceAsStream("app/" + file)) {
            if (in == null) {
                throw new IllegalStateException("app/" + file + " is missing from the build");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
