package io.maas.console.system;

import java.util.List;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** What every page's frame shows: who is signed in, their navigation, and the language switch. */
@ControllerAdvice
class PageModel {

    @ModelAttribute("me")
    ConsoleUser me() {
        var authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication != null && authentication.getPrincipal() instanceof ConsoleUser user ? user : null;
    }

    @ModelAttribute("nav")
    List<Page> nav() {
        ConsoleUser user = me();
        return user == null ? List.of() : Page.of(user.role());
    }

    @ModelAttribute("currentPage")
    Page currentPage(jakarta.servlet.http.HttpServletRequest request) {
        return Page.at(request.getRequestURI().substring(request.getContextPath().length())).orElse(null);
    }

    @ModelAttribute("englishUrl")
    String englishUrl() {
        return languageUrl("en");
    }

    @ModelAttribute("chineseUrl")
    String chineseUrl() {
        return languageUrl("zh-CN");
    }

    private static String languageUrl(String language) {
        return ServletUriComponentsBuilder.fromCurrentRequest().replaceQueryParam(WebConfiguration.LANGUAGE_PARAMETER, language)
                .build().toUriString();
    }
}
