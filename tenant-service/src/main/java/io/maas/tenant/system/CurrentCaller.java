package io.maas.tenant.system;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/** The {@link Caller} of the current request, as Spring Security authenticated it. */
public final class CurrentCaller {

    private CurrentCaller() {
    }

    public static Caller get() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof CallerDetails details) {
            return details.caller();
        }
        throw new IllegalStateException("no authenticated caller on this request");
    }
}
