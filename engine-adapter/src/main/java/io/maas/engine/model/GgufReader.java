package io.maas.engine.model;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the header, metadata and tensor infos of a GGUF file (versions 2 and 3, little-endian). */
public final class GgufReader {

    private static final int MAGIC = 0x46554747;
    private static final long MAX_STRING = 64L << 20;

    private final DataInputStream in;

    private GgufReader(InputStream in) {
        this.in = new DataInputStream(new BufferedInputStream(in, 1 << 16));
    }

    public static GgufFile read(Path path) throws IOException {
        try (InputStream stream = Files.newInputStream(path)) {
            return new GgufReader(stream).file();
        } catch (EOFException e) {
            throw new GgufFormatException(path + " ends before its GGUF header does");
        }
    }

    private GgufFile file() throws IOException {
        if (u32() != MAGIC) {
            throw new GgufFormatException("not a GGUF file (the magic bytes are not \"GGUF\")");
        }
        int version = u32();
        if (version < 2 || version > 3) {
            throw new GgufFormatException("GGUF version " + version + " is not supported (2 or 3 is)");
        }
        long tensorCount = u64();
        long metadataCount = u64();
        Map<String, Object> metadata = new LinkedHashMap<>();
        for (long i = 0; i < metadataCount; i++) {
            String key = string();
            metadata.put(key, value(GgufValueType.of(u32())));
        }
        List<GgufFile.TensorInfo> tensors = new ArrayList<>();
        for (long i = 0; i < tensorCount; i++) {
            String name = string();
            int dimCount = u32();
            List<Long> dims = new ArrayList<>(dimCount);
            for (int d = 0; d < dimCount; d++) {
                dims.add(u64());
            }
            tensors.add(new GgufFile.TensorInfo(name, List.copyOf(dims), u32(), u64()));
        }
        return new GgufFile(version, Collections.unmodifiableMap(metadata), List.copyOf(tensors));
    }

    private Object value(GgufValueType type) throws IOException {
        return switch (type) {
            case UINT8 -> (long) in.readUnsignedByte();
            case INT8 -> (long) in.readByte();
            case UINT16 -> (long) Short.toUnsignedInt(Short.reverseBytes(in.readShort()));
            case INT16 -> (long) Short.reverseBytes(in.readShort());
            case UINT32 -> Integer.toUnsignedLong(u32());
            case INT32 -> (long) u32();
            case UINT64, INT64 -> u64();
            case FLOAT32 -> (double) Float.intBitsToFloat(u32());
            case FLOAT64 -> Double.longBitsToDouble(u64());
            case BOOL -> in.readByte() != 0;
            case STRING -> string();
            case ARRAY -> array();
        };
    }

    private List<Object> array() throws IOException {
        GgufValueType elementType = GgufValueType.of(u32());
        long size = u64();
        if (size > Integer.MAX_VALUE) {
            throw new GgufFormatException("metadata array of " + size + " elements");
        }
        List<Object> values = new ArrayList<>((int) Math.min(size, 1 << 20));
        for (long i = 0; i < size; i++) {
            values.add(value(elementType));
        }
        return Collections.unmodifiableList(values);
    }

    private String string() throws IOException {
        long length = u64();
        if (length < 0 || length > MAX_STRING) {
            throw new GgufFormatException("string of " + length + " bytes");
        }
        return new String(in.readNBytes((int) length), StandardCharsets.UTF_8);
    }

    private int u32() throws IOException {
        return Integer.reverseBytes(in.readInt());
    }

    private long u64() throws IOException {
        return Long.reverseBytes(in.readLong());
    }
}
