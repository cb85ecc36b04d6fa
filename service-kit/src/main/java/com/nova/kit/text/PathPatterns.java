package com.nova.kit.text;

/** Path parameter patterns every service's resources use, so a malformed id is a 404 before any code runs. */
public final class PathPatterns {

    /** A UUID in its canonical form, either case. */
    public static final String UUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";

    private PathPatterns() {
    }
}
