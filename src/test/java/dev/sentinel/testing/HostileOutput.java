package dev.sentinel.testing;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A program's worst output, as a Python script: a first line, 100 MiB without a newline, a line of
 * 10 MiB, every byte but LF and CR with broken UTF-8 sequences, escape sequences (CSI, OSC, OSC 8
 * links, bells, an 8-bit CSI, clear screen) with CRs and a CR LF, and a last line; then,
 * optionally, a leak of 8 MiB every 50 ms until it is stopped.
 */
public final class HostileOutput {

    public static final String PYTHON = "/usr/bin/python3";
    public static final String FIRST = "first line";
    public static final String LAST = "end of output";
    public static final int FLOOD_MIB = 100;
    public static final int LONG_LINE_MIB = 10;

    private HostileOutput() {
    }

    /** The script; with {@code leakAfter} it allocates without end once its output is written. */
    public static String script(boolean leakAfter) {
        return String.join("\n",
                "import os, sys, time",
                "out = sys.stdout.buffer",
                "def w(b):",
                "    out.write(b)",
                "    out.flush()",
                "w(b'" + FIRST + "\\n')",
                "time.sleep(1)",
                "chunk = b'a' * (1024 * 1024)",
                "for i in range(" + FLOOD_MIB + "):",
                "    w(chunk)",
                "w(b'\\n')",
                "w(b'after the flood\\n')",
                "w(b'b' * (" + LONG_LINE_MIB + " * 1024 * 1024) + b'\\n')",
                "w(b'after the long line\\n')",
                "w(bytes(i for i in range(256) if i not in (10, 13)) + b'\\xc3\\x28\\xe2\\x82\\xf0\\x9f\\x98\\xed\\xa0\\x80\\n')",
                "w(b'\\x1b[31mred\\x1b[0m \\x1b]0;title\\x07 \\x1b]8;;http://x\\x1b\\\\link\\x1b]8;;\\x1b\\\\ \\x07\\x07bell"
                        + "\\x1b[2J\\x1b[H\\x9b31m\\rredrawn\\r\\nCRLF\\n')",
                "w(b'" + LAST + "\\n')",
                leakAfter ? String.join("\n",
                        "time.sleep(1)",
                        "leak = []",
                        "while True:",
                        "    leak.append(b'x' * (8 * 1024 * 1024))",
                        "    time.sleep(0.05)") : "",
                "");
    }

    /** The bytes of the binary line, without its LF. */
    public static byte[] binaryLine() {
        byte[] broken = {(byte) 0xc3, 0x28, (byte) 0xe2, (byte) 0x82, (byte) 0xf0, (byte) 0x9f, (byte) 0x98,
            (byte) 0xed, (byte) 0xa0, (byte) 0x80};
        byte[] binary = new byte[254 + broken.length];
        int n = 0;
        for (int i = 0; i < 256; i++) {
            if (i != '\n' && i != '\r') {
                binary[n++] = (byte) i;
            }
        }
        System.arraycopy(broken, 0, binary, n, broken.length);
        return binary;
    }

    /**
     * The lines a reader that splits at LF, CR LF and a lone CR and decodes UTF-8 (U+FFFD for what is
     * not) hands on, each long one already cut: {@code flood} and {@code longLine} are what stands
     * for the 100 MiB and the 10 MiB line.
     */
    public static List<String> lines(String flood, String longLine) {
        return List.of(
                FIRST,
                flood,
                "after the flood",
                longLine,
                "after the long line",
                new String(binaryLine(), StandardCharsets.UTF_8),
                "\u001b[31mred\u001b[0m \u001b]0;title\u0007 \u001b]8;;http://x\u001b\\link\u001b]8;;\u001b\\ "
                        + "\u0007\u0007bell\u001b[2J\u001b[H\ufffd31m",
                "redrawn",
                "CRLF",
                LAST);
    }
}
