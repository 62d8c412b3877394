package io.maas.console.system;

import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Chart data embedded in a page as JSON, safe inside a {@code <script type="application/json">} element. */
@Component
public class ChartData {

    private final JsonMapper json;

    ChartData(JsonMapper json) {
        this.json = json;
    }

    public String of(Object data) {
        return json.writeValueAsString(data).replace("</", "<\\/");
    }
}
