package dev.modelgate.e2e;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.function.Function;

/**
 * Infer requests a careless or hostile caller sends, drawn from a fixed seed so a failure replays
 * exactly: truncated JSON, wrong types, huge names and strings, deep nesting, wrong shapes and
 * datatypes, NaN and Infinity, odd unicode and invalid UTF-8, duplicate keys, bodies over the size
 * limit, wrong content types, with valid requests mixed in.
 */
final class HostileBodies {

    /** One request: {@code valid} ones must succeed, the others must be refused with a 4xx. */
    record Body(String kind, String contentType, byte[] bytes, boolean valid) {}

    private static final String JSON = "application/json";
    /** The caps the gateway must apply: a 100,000-character input name must not become a 100 MB row. */
    static final int HUGE_NAME_CHARS = 100_000;

    private final Random random;
    private final long maxBodyBytes;

    HostileBodies(long seed, long maxBodyBytes) {
        this.random = new Random(seed);
        this.maxBodyBytes = maxBodyBytes;
    }

    private interface Kind extends Function<HostileBodies, Body> {}

    private static final Kind[] KINDS = {
        HostileBodies::valid, HostileBodies::valid, HostileBodies::valid,
        HostileBodies::truncated, HostileBodies::wrongTypes, HostileBodies::amplifyingName,
        HostileBodies::hugeString, HostileBodies::deepNesting, HostileBodies::wrongShape,
        HostileBodies::wrongDatatype, HostileBodies::nonFinite, HostileBodies::oddUnicode,
        HostileBodies::invalidUtf8, HostileBodies::duplicateKeys, HostileBodies::overTheLimit,
        HostileBodies::wrongContentType, HostileBodies::notAnObject, HostileBodies::manyInputs,
    };

    Body next() {
        return KINDS[random.nextInt(KINDS.length)].apply(this);
    }

    static Body validBody(Random random) {
        return json("valid", InferApi.fraudRequest(ServeAndLogE2ETest.randomTransaction(random), "u" + random.nextInt(1000)), true);
    }

    private Body valid() {
        return validBody(random);
    }

    private static Body json(String kind, String body, boolean valid) {
        return new Body(kind, JSON, body.getBytes(StandardCharsets.UTF_8), valid);
    }

    private static Body invalid(String kind, String body) {
        return json(kind, body, false);
    }

    private String features() {
        return InferApi.fraudRequest(ServeAndLogE2ETest.randomTransaction(random), null);
    }

    private static String input(String name, String datatype, String shape, String data) {
        return "{\"inputs\":[{\"name\":" + name + ",\"datatype\":" + datatype + ",\"shape\":" + shape + ",\"data\":" + data + "}]}";
    }

    private static String ones(int n) {
        return "[" + "1,".repeat(n - 1) + "1]";
    }

    private Body truncated() {
        String body = features();
        return invalid("truncated JSON", body.substring(0, random.nextInt(body.length() - 1)));
    }

    private Body wrongTypes() {
        String[] bodies = {
            "{\"inputs\":\"features\"}", "{\"inputs\":42}", "{\"inputs\":null}", "{\"inputs\":[42]}", "{\"inputs\":[null]}",
            input("\"features\"", "\"FP32\"", "\"1,12\"", ones(12)),
            input("\"features\"", "\"FP32\"", "[1,12]", "\"1,2,3\""),
            input("12", "\"FP32\"", "[1,12]", ones(12)),
            input("\"features\"", "32", "[1,12]", ones(12)),
            input("\"features\"", "\"FP32\"", "[1,12]", "{\"a\":1}"),
            input("\"features\"", "\"FP32\"", "[1,12]", "[true,false,1,1,1,1,1,1,1,1,1,1]"),
            input("\"features\"", "\"FP32\"", "[\"1\",\"12\"]", ones(12)),
            "{\"inputs\":[{\"name\":\"features\",\"datatype\":\"FP32\",\"shape\":[1,12],\"data\":" + ones(12) + "}],\"parameters\":[1,2]}",
            "{\"inputs\":[{\"name\":\"features\",\"datatype\":\"FP32\",\"shape\":[1,12],\"data\":" + ones(12) + "}],\"outputs\":\"all\"}",
        };
        return invalid("wrong types", bodies[random.nextInt(bodies.length)]);
    }

    /** The amplification case: a name that a careless logger would repeat once per value. */
    private Body amplifyingName() {
        return invalid("huge input name", input("\"" + "n".repeat(HUGE_NAME_CHARS) + "\"", "\"FP32\"", "[1,1024]", ones(1024)));
    }

    private Body hugeString() {
        String huge = "x".repeat(20_000 + random.nextInt(60_000));
        String[] bodies = {
            input("\"features\"", "\"" + huge + "\"", "[1,12]", ones(12)),
            input("\"features\"", "\"FP32\"", "[1,12]", "[\"" + huge + "\",1,1,1,1,1,1,1,1,1,1,1]"),
            "{\"inputs\":[{\"name\":\"features\",\"datatype\":\"FP32\",\"shape\":[1,12],\"data\":" + ones(12)
                    + "}],\"outputs\":[{\"name\":\"" + huge + "\"}]}",
            "{\"id\":\"" + huge + "\",\"inputs\":[{\"name\":\"features\",\"datatype\":\"FP32\",\"shape\":[1,11],\"data\":" + ones(11) + "}]}",
        };
        return invalid("huge string", bodies[random.nextInt(bodies.length)]);
    }

    private Body deepNesting() {
        int depth = 1_000 + random.nextInt(20_000);
        String nested = random.nextBoolean()
                ? "[".repeat(depth) + "1" + "]".repeat(depth)
                : "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
        return invalid("deep nesting", random.nextBoolean()
                ? input("\"features\"", "\"FP32\"", "[1,12]", nested)
                : "{\"inputs\":[{\"name\":\"features\",\"datatype\":\"FP32\",\"shape\":[1,12],\"data\":" + ones(12)
                        + "}],\"parameters\":{\"unit_id\":" + nested + "}}");
    }

    private Body wrongShape() {
        String[][] shapes = {
            {"[12]", ones(12)}, {"[1,13]", ones(13)}, {"[-1,12]", ones(12)}, {"[0,12]", "[]"}, {"[]", ones(12)},
            {"[2147483647,2147483647]", ones(12)}, {"[1,12,1]", ones(12)}, {"[1.5,12]", ones(12)},
            {"[1,12]", ones(11)}, {"[3,12]", ones(36 - random.nextInt(5))}, {"[99999999999999999999,1]", ones(12)},
        };
        String[] shape = shapes[random.nextInt(shapes.length)];
        return invalid("wrong shape", input("\"features\"", "\"FP32\"", shape[0], shape[1]));
    }

    private Body wrongDatatype() {
        String[] types = {"\"BYTES\"", "\"INT64\"", "\"FP16\"", "\"\"", "\"fp32\"", "\"FP32 \"", "null", "\"BOOL\"", "\"UINT8\""};
        return invalid("wrong datatype", input("\"features\"", types[random.nextInt(types.length)], "[1,12]", ones(12)));
    }

    private Body nonFinite() {
        String[] values = {"NaN", "Infinity", "-Infinity", "\"NaN\"", "1e999", "-1e999", "0x10", "1.", ".5", "+1", "01"};
        String value = values[random.nextInt(values.length)];
        return invalid("NaN/Infinity", input("\"features\"", "\"FP32\"", "[1,12]", "[" + value + ",1,1,1,1,1,1,1,1,1,1,1]"));
    }

    private Body oddUnicode() {
        String[] names = {"\"féatures\"", "\"\\u0000features\"", "\"features\\u202e\"", "\"🙂🙂🙂\"", "\"\\ud800\"", "\"ＦＥＡＴＵＲＥＳ\""};
        return invalid("odd unicode", input(names[random.nextInt(names.length)], "\"FP32\"", "[1,12]", ones(12)));
    }

    private Body invalidUtf8() {
        byte[] prefix = "{\"inputs\":[{\"name\":\"".getBytes(StandardCharsets.UTF_8);
        byte[] suffix = ("\",\"datatype\":\"FP32\",\"shape\":[1,12],\"data\":" + ones(12) + "}]}").getBytes(StandardCharsets.UTF_8);
        byte[] bad = {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0xFE, (byte) 0xED, (byte) 0xA0, (byte) 0x80};
        byte[] body = new byte[prefix.length + bad.length + suffix.length];
        System.arraycopy(prefix, 0, body, 0, prefix.length);
        System.arraycopy(bad, 0, body, prefix.length, bad.length);
        System.arraycopy(suffix, 0, body, prefix.length + bad.length, suffix.length);
        return new Body("invalid UTF-8", JSON, body, false);
    }

    private Body duplicateKeys() {
        String good = "[{\"name\":\"features\",\"datatype\":\"FP32\",\"shape\":[1,12],\"data\":" + ones(12) + "}]";
        String[] bodies = {
            "{\"inputs\":" + good + ",\"inputs\":[{\"name\":\"x\"}]}",
            "{\"inputs\":[{\"name\":\"features\",\"name\":\"other\",\"datatype\":\"FP32\",\"shape\":[1,12],\"data\":" + ones(12) + "}]}",
            "{\"inputs\":[{\"name\":\"features\",\"datatype\":\"FP32\",\"shape\":[1,12],\"shape\":[2,6,1],\"data\":" + ones(12) + "}]}",
        };
        return invalid("duplicate keys", bodies[random.nextInt(bodies.length)]);
    }

    private Body overTheLimit() {
        int values = (int) (maxBodyBytes / 2) + 1 + random.nextInt(10_000);
        return invalid("over max_body_bytes", input("\"features\"", "\"FP32\"", "[1," + values + "]", ones(values)));
    }

    private Body wrongContentType() {
        String[] types = {"text/plain", "application/xml", null, "multipart/form-data; boundary=x", "application/x-www-form-urlencoded"};
        String type = types[random.nextInt(types.length)];
        byte[] body = (random.nextBoolean() ? "<inputs><name>features</name></inputs>" : "inputs=features&data=1")
                .getBytes(StandardCharsets.UTF_8);
        return new Body("wrong content type", type, body, false);
    }

    private Body notAnObject() {
        String[] bodies = {"", " ", "null", "[]", "\"features\"", "42", "true", "{}", "{\"inputs\":[]}", "\u0000", "{\"inputs\":[{}]}"};
        return invalid("not an infer request", bodies[random.nextInt(bodies.length)]);
    }

    private Body manyInputs() {
        StringBuilder body = new StringBuilder("{\"inputs\":[");
        int n = 100 + random.nextInt(900);
        for (int i = 0; i < n; i++) {
            body.append(i == 0 ? "" : ",").append("{\"name\":\"in").append(i).append("\",\"datatype\":\"FP32\",\"shape\":[1,1],\"data\":[1]}");
        }
        return invalid("many inputs", body.append("]}").toString());
    }
}
