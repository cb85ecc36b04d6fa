package com.nova.kit.security;

import com.nova.kit.problem.ProblemException;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * The one place where "your own resource, or you are an admin" is decided. A caller who may not
 * see a resource learns nothing about it: the answer is the same 404 as for one that does not exist.
 */
public final class Ownership {

    private Ownership() {
    }

    public static boolean isAdmin(SecurityIdentity identity) {
        return identity != null && identity.hasRole(Roles.ADMIN);
    }

    public static boolean owns(SecurityIdentity identity, String ownerId) {
        return identity != null && !identity.isAnonymous() && ownerId != null
                && ownerId.equals(identity.getPrincipal().getName());
    }

    /** Passes for the owner or an admin; otherwise throws a 404 problem naming only {@code what}. */
    public static void requireSelfOrAdmin(SecurityIdentity identity, String ownerId, String what) {
        if (!isAdmin(identity) && !owns(identity, ownerId)) {
            throw ProblemException.notFound(what);
        }
    }

    /** The caller's own id ({@code sub}); a token without one is refused. */
    public static String subject(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous() || identity.getPrincipal().getName() == null
                || identity.getPrincipal().getName().isBlank()) {
            throw new ProblemException(401, "unauthorized", "The token has no subject");
        }
        return identity.getPrincipal().getName();
    }
}
