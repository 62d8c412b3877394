package io.maas.console.system;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The sign-in page, and {@code /}, which leads each role to its first page. */
@Controller
class HomeController {

    @GetMapping("/")
    String home() {
        return "redirect:" + Page.of(TenantApi.current().role()).getFirst().path();
    }

    @GetMapping("/login")
    String login() {
        return "login";
    }
}
