package io.maas.engine.model;

/** The value types of GGUF metadata, with their numbers in the file format. */
enum GgufValueType {
    UINT8, INT8, UINT16, INT16, UINT32, INT32, FLOAT32, BOOL, STRING, ARRAY, UINT64, INT64, FLOAT64;

    static GgufValueType of(int code) {
        if (code < 0 || code >= values().length) {
            throw new GgufFormatException("unknown metadata value type " + code);
        }
        return values()[code];
    }
}
