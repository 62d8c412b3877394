package io.maas.console.deployments;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The create form as the admin filled it in (every field text, as typed), turned into the body of
 * {@code POST /api/v1/deployments} (and its {@code /plan}): blank fields are left out for tenant-service
 * to choose (one-click) or default; a number that is not one is an error beside its field, here.
 */
record DeploymentForm(Map<String, String> fields) {

    static final String SUGGESTED = "suggested";

    String get(String field) {
        return fields.getOrDefault(field, "").strip();
    }

    /** The name typed, or for a preview without one, the model's id made a DNS label (said to be a suggestion). */
    String nameOrSuggestion() {
        String name = get("name");
        return name.isEmpty() ? get("model").toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-") : name;
    }

    /** The request body; {@code errors} receives a message per field that is not a number where one belongs. */
    Map<String, Object> body(String name, Map<String, String> errors) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("model", get("model"));
        put(body, "tenantId", get("tenantId"));
        put(body, "servedModelName", get("servedModelName"));
        put(body, "target", get("target"));
        put(body, "runtime", get("runtime"));
        put(body, "precision", get("precision"));
        number(body, "contextLength", errors);
        number(body, "concurrency", errors);
        number(body, "replicas", errors);
        if (!get("vendor").isEmpty() || !get("acceleratorType").isEmpty() || !get("countPerReplica").isEmpty()) {
            Map<String, Object> accelerator = new LinkedHashMap<>();
            put(accelerator, "vendor", get("vendor"));
            put(accelerator, "type", get("acceleratorType"));
            Map<String, Object> count = new LinkedHashMap<>();
            number(count, "countPerReplica", errors);
            if (count.containsKey("countPerReplica")) {
                accelerator.put("countPerReplica", count.get("countPerReplica"));
            }
            body.put("accelerator", accelerator);
        }
        if (!get("costAmount").isEmpty()) {
            body.put("costPerAcceleratorHour", Map.of("amount", get("costAmount"), "currency", get("costCurrency").isEmpty() ? "USD" : get("costCurrency")));
        }
        return body;
    }

    private static void put(Map<String, Object> body, String field, String value) {
        if (!value.isEmpty()) {
            body.put(field, value);
        }
    }

    private void number(Map<String, Object> body, String field, Map<String, String> errors) {
        String value = get(field);
        if (value.isEmpty()) {
            return;
        }
        try {
            body.put(field, Integer.parseInt(value));
        } catch (NumberFormatException e) {
            errors.put(field, field + " must be a whole number, was '" + value + "'");
        }
    }
}
