package io.maas.accelerators.fit;

/** A fit request that cannot be answered as asked; {@link #param()} names the offending field. */
public class FitRequestException extends IllegalArgumentException {

    private final String param;

    public FitRequestException(String param, String message) {
        super(message);
        this.param = param;
    }

    public String param() {
        return param;
    }
}
