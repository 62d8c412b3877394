package io.maas.console.system;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;

/** Answers 404 for a page the signed-in role may not see ({@link Page}); the one place that decides it. */
@Component
class PageAccess implements HandlerInterceptor {

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) throws Exception {
        var page = Page.at(request.getRequestURI().substring(request.getContextPath().length()));
        if (page.isEmpty()) {
            return true;
        }
        var authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof ConsoleUser user && page.get().visibleTo(user.role())) {
            return true;
        }
        response.sendError(HttpStatus.NOT_FOUND.value());
        return false;
    }
}
