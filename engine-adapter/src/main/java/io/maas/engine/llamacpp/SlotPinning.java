package io.maas.engine.llamacpp;

import de.kherud.llama.InferenceParameters;
import java.lang.reflect.Field;
import java.util.Map;

/**
 * Sets llama.cpp's {@code id_slot} on a request. The binding (4.2.0) forwards it to llama.cpp but has
 * no setter, so it is written into the parameters' JSON map; a binding without that map fails at
 * start-up, not per request.
 */
final class SlotPinning {

    private static final Field PARAMETERS = parametersField();

    private SlotPinning() {
    }

    @SuppressWarnings("unchecked")
    static InferenceParameters pin(InferenceParameters parameters, int slot) {
        try {
            ((Map<String, String>) PARAMETERS.get(parameters)).put("id_slot", Integer.toString(slot));
            return parameters;
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot set id_slot on llama.cpp's inference parameters", e);
        }
    }

    private static Field parametersField() {
        try {
            Field field = InferenceParameters.class.getSuperclass().getDeclaredField("parameters");
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("this de.kherud:llama version has no parameter map to set id_slot in", e);
        }
    }
}
