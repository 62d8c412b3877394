package io.maas.console.system;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.servlet.ModelAndView;

/**
 * What a page shows when tenant-service refuses or cannot be reached: its 404 as the console's 404
 * (another tenant's data looks like nothing), an expired session as a new sign-in, anything else as
 * the API's message on an error page. Never a stack trace.
 */
@ControllerAdvice
class ConsoleErrors {

    private static final Logger log = LoggerFactory.getLogger(ConsoleErrors.class);

    @ExceptionHandler(ApiProblem.class)
    ModelAndView problem(ApiProblem problem, HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (problem.status() == 401) {
            var session = request.getSession(false);
            if (session != null) {
                session.invalidate();
            }
            SecurityContextHolder.clearContext();
            response.sendRedirect(request.getContextPath() + "/login?expired");
            return null;
        }
        HttpStatus status = problem.status() == 404 ? HttpStatus.NOT_FOUND
                : problem.status() == 403 ? HttpStatus.FORBIDDEN
                : problem.status() >= 500 ? HttpStatus.BAD_GATEWAY : HttpStatus.BAD_REQUEST;
        return error(status, status == HttpStatus.NOT_FOUND ? null : problem.getMessage());
    }

    @ExceptionHandler(ResourceAccessException.class)
    ModelAndView unreachable(ResourceAccessException e) {
        log.warn("tenant-service unreachable: {}", e.getMessage());
        return error(HttpStatus.BAD_GATEWAY, null);
    }

    static ModelAndView error(HttpStatus status, String detail) {
        ModelAndView view = new ModelAndView("error", status);
        view.addObject("status", status.value());
        view.addObject("detail", detail);
        return view;
    }
}
