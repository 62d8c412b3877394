package io.maas.engine.fit;

import io.maas.accelerators.fit.AcceleratorSpec;
import io.maas.accelerators.fit.ModelSpec;
import io.maas.accelerators.fit.FitRequestException;
import io.maas.accelerators.fit.FitRequest;
import io.maas.accelerators.fit.FitReport;
import io.maas.accelerators.fit.FitCalculator;
import io.maas.api.accelerator.AcceleratorProviders;
import io.maas.api.openai.ApiError;
import io.maas.api.openai.ErrorResponse;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /engine/fit}: the fit calculator over HTTP, as {@code ./platform fit --json} prints it. */
@RestController
class FitController {

    private final FitCalculator calculator = new FitCalculator(AcceleratorProviders.load(FitController.class.getClassLoader()));

    /** 200 with the {@link FitReport}; 400 in OpenAI's error shape, with the offending field as param. */
    @PostMapping("/engine/fit")
    ResponseEntity<?> fit(@RequestBody FitRequest request) {
        try {
            return ResponseEntity.ok(calculator.fit(request));
        } catch (FitRequestException e) {
            return badRequest(e);
        }
    }

    /** A modelSpec that its own checks reject arrives here, inside the body's parse failure. */
    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ErrorResponse> unreadable(HttpMessageNotReadableException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof FitRequestException invalid) {
                return badRequest(invalid);
            }
        }
        return ResponseEntity.badRequest().body(ApiError.INVALID_REQUEST.response(
                "the body must be a JSON fit request {\"model\", \"modelSpec\", \"precision\", \"accelerator\", \"devices\", "
                        + "\"contextLength\"}: " + e.getMostSpecificCause().getMessage().lines().findFirst().orElse(""), null));
    }

    private static ResponseEntity<ErrorResponse> badRequest(FitRequestException e) {
        return ResponseEntity.badRequest().body(ApiError.INVALID_REQUEST.response(e.getMessage(), e.param()));
    }
}
