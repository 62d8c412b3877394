package io.maas.console.system;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The sign-in page, and {@code /}, which leads each role to its first page. */
@Controller
class HomeController {

    private final boolean singleSignOn;

    HomeController(ObjectProvider<ClientRegistrationRepository> registrations) {
        this.singleSignOn = registrations.getIfAvailable() != null;
    }

    @GetMapping("/")
    String home() {
        return "redirect:" + Page.of(TenantApi.current().role()).getFirst().path();
    }

    @GetMapping("/login")
    String login(Model model) {
        model.addAttribute("singleSignOn", singleSignOn ? "/oauth2/authorization/" + SingleSignOn.REGISTRATION : null);
        return "login";
    }
}
