package io.maas.console.economics;

import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;

/**
 * Economics for finance and the platform admin: per deployment and UTC day of a month, its
 * accelerator-hours, their cost, the revenue its requests billed and the margin; each deployment's
 * month added up above its days.
 */
@Controller
@RequestMapping("/economics")
class EconomicsController {

    private final Economics economics;

    EconomicsController(Economics economics) {
        this.economics = economics;
    }

    @GetMapping
    ModelAndView month(@RequestParam(required = false) @DateTimeFormat(pattern = "yyyy-MM") YearMonth month) {
        YearMonth shown = month == null ? YearMonth.now(ZoneOffset.UTC) : month;
        List<Economics.Day> days = economics.month(shown);
        ModelAndView view = new ModelAndView("economics/economics");
        view.addObject("month", shown);
        view.addObject("previousMonth", shown.minusMonths(1));
        view.addObject("nextMonth", shown.plusMonths(1));
        view.addObject("days", days);
        view.addObject("totals", Economics.totals(days).values());
        return view;
    }
}
