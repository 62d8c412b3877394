package io.maas.engine.fit;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

@WebMvcTest(FitController.class)
class FitControllerTests {

    @Autowired
    MockMvc mvc;

    @Test
    void fitsAPreset() throws Exception {
        mvc.perform(post("/engine/fit").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"model\":\"deepseek-v3\",\"precision\":\"w8a8\",\"accelerator\":\"910b\"}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.minimumDevices").value(16))
                .andExpect(jsonPath("$.nodes").value(2))
                .andExpect(jsonPath("$.tensorParallelSize").value(8))
                .andExpect(jsonPath("$.expertParallelSize").value(16))
                .andExpect(jsonPath("$.precision").value("w8a8"))
                .andExpect(jsonPath("$.fits").value(true));
    }

    @Test
    void fitsADescribedModel() throws Exception {
        mvc.perform(post("/engine/fit").contentType(MediaType.APPLICATION_JSON).content("""
                        {"modelSpec":{"id":"my-moe","totalParams":15700000000,"activeParams":2400000000,"layers":27,
                         "attentionHeads":16,"kvLoraRank":512,"ropeHeadDim":64,"routedExperts":64,"expertsPerToken":6,
                         "contextLength":32768},
                         "precision":"bf16","accelerator":"h100"}"""))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.model").value("my-moe"))
                .andExpect(jsonPath("$.devices").value(1));
    }

    @Test
    void badInputIs400InOpenAiShapeNamingTheField() throws Exception {
        mvc.perform(post("/engine/fit").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"model\":\"deepseek-v3\",\"precision\":\"fp8\",\"accelerator\":\"p800\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error.type").value("invalid_request_error"))
                .andExpect(jsonPath("$.error.code").value("invalid_request"))
                .andExpect(jsonPath("$.error.param").value("precision"))
                .andExpect(jsonPath("$.error.message").value("P800 OAM does not run fp8; it runs [bf16, fp16, w4a16, w8a8]"));

        mvc.perform(post("/engine/fit").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"modelSpec\":{\"id\":\"x\",\"totalParams\":1},\"precision\":\"bf16\",\"accelerator\":\"h100\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error.param").value("modelSpec.activeParams"));
    }
}
