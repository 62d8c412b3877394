package io.maas.engine.model;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a GGUF v3 file: little-endian header, typed metadata, tensor infos, then the F32 tensor
 * data, each tensor aligned to {@link #ALIGNMENT} bytes (also written as {@code general.alignment}).
 * Entries are written in the order they were added, so the same calls always give the same bytes.
 */
final class GgufWriter {

    static final int ALIGNMENT = 32;
    private static final int MAGIC = 0x46554747; // "GGUF" read as a little-endian u32
    private static final int VERSION = 3;
    private static final int TENSOR_TYPE_F32 = 0;

    private final Buffer metadata = new Buffer();
    private int metadataCount;
    private final List<Tensor> tensors = new ArrayList<>();

    private record Tensor(String name, long[] dims, float[] data) {
    }

    GgufWriter u32(String key, int value) {
        key(key, GgufValueType.UINT32).putInt(value);
        return this;
    }

    GgufWriter f32(String key, float value) {
        key(key, GgufValueType.FLOAT32).putFloat(value);
        return this;
    }

    GgufWriter bool(String key, boolean value) {
        key(key, GgufValueType.BOOL).put((byte) (value ? 1 : 0));
        return this;
    }

    GgufWriter string(String key, String value) {
        key(key, GgufValueType.STRING).putString(value);
        return this;
    }

    GgufWriter strings(String key, List<String> values) {
        array(key, GgufValueType.STRING, values.size());
        values.forEach(metadata::putString);
        return this;
    }

    GgufWriter floats(String key, float[] values) {
        array(key, GgufValueType.FLOAT32, values.length);
        for (float value : values) {
            metadata.putFloat(value);
        }
        return this;
    }

    GgufWriter ints(String key, int[] values) {
        array(key, GgufValueType.INT32, values.length);
        for (int value : values) {
            metadata.putInt(value);
        }
        return this;
    }

    /** A tensor in ggml order (first dimension varies fastest); {@code data} holds the product of {@code dims} floats. */
    GgufWriter tensor(String name, long[] dims, float[] data) {
        long count = 1;
        for (long dim : dims) {
            count *= dim;
        }
        if (count != data.length) {
            throw new IllegalArgumentException(name + ": " + data.length + " values for " + count + " elements");
        }
        tensors.add(new Tensor(name, dims.clone(), data));
        return this;
    }

    byte[] toBytes() {
        Buffer out = new Buffer();
        out.putInt(MAGIC);
        out.putInt(VERSION);
        out.putLong(tensors.size());
        out.putLong(metadataCount + 1L);
        out.putString("general.alignment");
        out.putInt(GgufValueType.UINT32.ordinal());
        out.putInt(ALIGNMENT);
        out.writeBytes(metadata.toByteArray());
        long offset = 0;
        for (Tensor tensor : tensors) {
            out.putString(tensor.name());
            out.putInt(tensor.dims().length);
            for (long dim : tensor.dims()) {
                out.putLong(dim);
            }
            out.putInt(TENSOR_TYPE_F32);
            out.putLong(offset);
            offset = align(offset + 4L * tensor.data().length);
        }
        out.pad();
        for (Tensor tensor : tensors) {
            ByteBuffer data = ByteBuffer.allocate(4 * tensor.data().length).order(ByteOrder.LITTLE_ENDIAN);
            data.asFloatBuffer().put(tensor.data());
            out.writeBytes(data.array());
            out.pad();
        }
        return out.toByteArray();
    }

    private Buffer key(String key, GgufValueType type) {
        if ("general.alignment".equals(key)) {
            throw new IllegalArgumentException("general.alignment is written by the writer");
        }
        metadataCount++;
        metadata.putString(key);
        metadata.putInt(type.ordinal());
        return metadata;
    }

    private void array(String key, GgufValueType elementType, int size) {
        key(key, GgufValueType.ARRAY).putInt(elementType.ordinal());
        metadata.putLong(size);
    }

    private static long align(long offset) {
        return (offset + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    /** A growing little-endian byte buffer. */
    private static final class Buffer extends ByteArrayOutputStream {

        private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

        Buffer putInt(int value) {
            scratch.clear();
            write(scratch.putInt(value).array(), 0, 4);
            return this;
        }

        Buffer putLong(long value) {
            scratch.clear();
            write(scratch.putLong(value).array(), 0, 8);
            return this;
        }

        Buffer putFloat(float value) {
            return putInt(Float.floatToRawIntBits(value));
        }

        Buffer put(byte value) {
            write(value);
            return this;
        }

        Buffer putString(String value) {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            putLong(bytes.length);
            write(bytes, 0, bytes.length);
            return this;
        }

        void pad() {
            while (size() % ALIGNMENT != 0) {
                write(0);
            }
        }
    }
}
