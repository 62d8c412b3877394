package io.maas.api.accelerator;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The health a vendor tool reports for a device, on one scale for all vendors. */
public enum DeviceHealth {
    /** Reported and without faults. */
    OK,
    /** Usable but with a fault to look at (Ascend "Warning", uncorrected ECC errors since boot). */
    WARNING,
    /** Not to be scheduled on (Ascend "Alarm" or "Critical", a GPU the driver cannot read). */
    CRITICAL,
    /** The tool does not report health, or reports a state this platform does not know. */
    UNKNOWN;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
