package io.maas.console.pricebooks;

import io.maas.console.system.ApiProblem;
import io.maas.console.system.TenantApi;
import io.maas.pricing.PriceBook;
import io.maas.pricing.PricingJson;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;

/** Price books for the platform admin: list, load a template, set the platform default; a book's versions and its week as a heat map. */
@Controller
@RequestMapping("/price-books")
class PriceBooksController {

    record Book(UUID id, String name, boolean platformDefault, int versions, String latestVersion) {
    }

    private static final ParameterizedTypeReference<List<Book>> BOOKS = new ParameterizedTypeReference<>() { };
    private static final ParameterizedTypeReference<List<String>> NAMES = new ParameterizedTypeReference<>() { };

    private final TenantApi api;

    PriceBooksController(TenantApi api) {
        this.api = api;
    }

    @GetMapping
    ModelAndView list() {
        return listView(Map.of(), HttpStatus.OK);
    }

    @PostMapping
    ModelAndView load(@RequestParam String template, @RequestParam(defaultValue = "") String name) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("template", template);
        if (!name.isBlank()) {
            body.put("name", name.strip());
        }
        try {
            api.post(body, String.class, "/api/v1/price-books");
            return new ModelAndView("redirect:/price-books?loaded=" + (name.isBlank() ? template : name.strip()));
        } catch (ApiProblem problem) {
            return listView(problem.onField(name.isBlank() ? "template" : "name"), HttpStatus.valueOf(problem.status()));
        }
    }

    @PostMapping("/{name}/default")
    String makeDefault(@PathVariable String name) {
        api.send(HttpMethod.PUT, null, "/api/v1/price-books/{name}/platform-default", name);
        return "redirect:/price-books?default=" + name;
    }

    @GetMapping("/{name}")
    ModelAndView book(@PathVariable String name, @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate week) {
        PriceBook book = PricingJson.readPriceBook(api.get(String.class, "/api/v1/price-books/{name}", name));
        LocalDate day = week != null ? week
                : LocalDate.now(book.versions().getLast().schedule().timezone());
        HeatMap map = HeatMap.of(book, day);
        ModelAndView view = new ModelAndView("pricebooks/book");
        view.addObject("book", book);
        view.addObject("map", map);
        view.addObject("previousWeek", map.monday().minusWeeks(1));
        view.addObject("nextWeek", map.monday().plusWeeks(1));
        return view;
    }

    private ModelAndView listView(Map<String, String> errors, HttpStatus status) {
        ModelAndView view = new ModelAndView("pricebooks/list", status);
        view.addObject("books", api.get(BOOKS, "/api/v1/price-books"));
        view.addObject("templates", api.get(NAMES, "/api/v1/price-book-templates"));
        view.addObject("errors", errors);
        return view;
    }
}
