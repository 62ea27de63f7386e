package dev.modelgate.inference.testmodels;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes TorchScript archives without Python or torch (neither is installed here): the format
 * {@code torch.jit.save} produces is a zip of the module's TorchScript source ({@code code/}), its
 * pickled attributes ({@code data.pkl}), its constants and a format version. Weights are written as
 * tensor literals in the source, so no tensor storage records are needed. Loaded by libtorch itself,
 * these files exercise the same path as a user's exported model.
 */
public final class TorchScriptWriter {

    /** Oldest format version current libtorch still produces; the reader accepts 1 to 10. */
    private static final String FORMAT_VERSION = "3\n";

    /** {@code pickle.dumps((), protocol=2)}. */
    private static final byte[] EMPTY_TUPLE = {(byte) 0x80, 2, ')', '.'};

    private TorchScriptWriter() {
    }

    /**
     * A module class {@code __torch__.<className>} whose {@code forward} is {@code forward}, e.g.
     * {@code "def forward(self, x: Tensor) -> Tensor:\n    return torch.relu(x)\n"} (4-space body indent).
     */
    public static Path write(Path file, String className, String forward) throws IOException {
        String archive = file.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        String code = "class " + className + "(Module):\n"
                + "  __parameters__ = []\n"
                + "  __buffers__ = []\n"
                + "  training : bool\n"
                + indent(forward.replace("def forward(self,", "def forward(self: __torch__." + className + ","));
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            stored(zip, archive + "/data.pkl", moduleInEvalMode(className));
            stored(zip, archive + "/code/__torch__.py", code.getBytes(StandardCharsets.UTF_8));
            stored(zip, archive + "/constants.pkl", EMPTY_TUPLE);
            stored(zip, archive + "/version", FORMAT_VERSION.getBytes(StandardCharsets.UTF_8));
        }
        return file;
    }

    /** {@code y = x · W + b} for {@code x: [batch, W.length]}, as {@code torch.matmul} + {@code torch.add}. */
    public static Path linear(Path file, float[][] w, float[] b) throws IOException {
        return write(file, "Linear", "def forward(self, x: Tensor) -> Tensor:\n"
                + "    w = torch.tensor(" + literal(w) + ")\n"
                + "    b = torch.tensor(" + literal(b) + ")\n"
                + "    return torch.add(torch.matmul(x, w), b)\n");
    }

    public static String literal(float[][] rows) {
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < rows.length; i++) {
            text.append(i == 0 ? "" : ", ").append(literal(rows[i]));
        }
        return text.append(']').toString();
    }

    public static String literal(float[] values) {
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            // Float.toString round-trips through libtorch's double parsing and float32 cast
            text.append(i == 0 ? "" : ", ").append(Float.toString(values[i]).toLowerCase(Locale.ROOT));
        }
        return text.append(']').toString();
    }

    private static String indent(String source) {
        return ("  " + source.replace("\n", "\n  ")).stripTrailing() + "\n";
    }

    /**
     * Pickle protocol 2 of {@code __torch__.<className>} with {@code training = False}; the bytes
     * Python's {@code pickle.dumps(obj, protocol=2)} writes for such an object:
     * PROTO 2, GLOBAL, BINPUT, EMPTY_TUPLE, NEWOBJ, BINPUT, EMPTY_DICT, BINPUT, 'training', BINPUT,
     * NEWFALSE, SETITEM, BUILD, STOP.
     */
    private static byte[] moduleInEvalMode(String className) {
        byte[] global = ("c__torch__\n" + className + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] head = {(byte) 0x80, 2};
        byte[] tail = {'q', 0, ')', (byte) 0x81, 'q', 1, '}', 'q', 2, 'X', 8, 0, 0, 0,
                't', 'r', 'a', 'i', 'n', 'i', 'n', 'g', 'q', 3, (byte) 0x89, 's', 'b', '.'};
        byte[] pickle = new byte[head.length + global.length + tail.length];
        System.arraycopy(head, 0, pickle, 0, head.length);
        System.arraycopy(global, 0, pickle, head.length, global.length);
        System.arraycopy(tail, 0, pickle, head.length + global.length, tail.length);
        return pickle;
    }

    /** Stored, not deflated: libtorch memory-maps records and reads them uncompressed. */
    private static void stored(ZipOutputStream zip, String name, byte[] content) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(content.length);
        CRC32 crc = new CRC32();
        crc.update(content);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(content);
        zip.closeEntry();
    }
}
