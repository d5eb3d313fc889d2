package io.deskfleet.controlplane.fuzz;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deskfleet.controlplane.fuzz.Mutation.Expect;

import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

/**
 * Mutants of a valid JSON body: every field replaced by values of every JSON type and by boundary values, every field
 * removed, whole-body damage (truncation, non-JSON, wrong content type, invalid UTF-8, deep nesting, duplicated and
 * unknown keys, an oversized body), and seeded random combinations of several field changes. The expectation of
 * each mutant follows from the field's JSON type in the valid body and whether the field is required; where it
 * depends on rules the test does not model it is {@link Expect#EITHER}.
 */
final class BodyMutations {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Above the server's 1 MB request limit. */
    private static final int OVERSIZED = 1_100_000;

    private enum Kind { TEXT, NUMBER, BOOLEAN, ARRAY, OBJECT, NULL }

    /** Refused in every text field: PostgreSQL cannot store it. */
    private static final String NUL = "NUL character";
    /** Longer than any text field takes (script content, the longest, takes 100,000). */
    private static final String OVER_LONG = "100,001-char string";
    /** Every integer field of the contract refuses these: a JSON number with a fraction or exponent part. */
    private static final Set<String> NOT_INTEGERS = Set.of("fraction", "integral fraction", "exponent",
            "huge exponent");

    private record Replacement(String label, JsonNode value, Kind kind) {
    }

    private static final List<Replacement> REPLACEMENTS = List.of(
            new Replacement("null", NODES.nullNode(), Kind.NULL),
            new Replacement("empty string", NODES.textNode(""), Kind.TEXT),
            new Replacement("blank string", NODES.textNode("   "), Kind.TEXT),
            new Replacement("huge string", NODES.textNode("x".repeat(100_000)), Kind.TEXT),
            new Replacement("300-char string", NODES.textNode("y".repeat(300)), Kind.TEXT),
            new Replacement("control and bidi chars", NODES.textNode("a\u0001b\u202e\uD83D\uDE00\n'\"%_;--"), Kind.TEXT),
            new Replacement(NUL, NODES.textNode("a\u0000b"), Kind.TEXT),
            new Replacement(OVER_LONG, NODES.textNode("z".repeat(100_001)), Kind.TEXT),
            new Replacement("unknown enum value", NODES.textNode("NOT_A_KNOWN_VALUE"), Kind.TEXT),
            new Replacement("numeric string", NODES.textNode("5"), Kind.TEXT),
            new Replacement("zero", NODES.numberNode(0), Kind.NUMBER),
            new Replacement("minus one", NODES.numberNode(-1), Kind.NUMBER),
            new Replacement("fraction", NODES.numberNode(1.5), Kind.NUMBER),
            new Replacement("integral fraction", NODES.numberNode(new BigDecimal("2.0")), Kind.NUMBER),
            new Replacement("exponent", NODES.numberNode(new BigDecimal("1E+1")), Kind.NUMBER),
            new Replacement("int overflow", NODES.numberNode(2_147_483_648L), Kind.NUMBER),
            new Replacement("int underflow", NODES.numberNode(-2_147_483_649L), Kind.NUMBER),
            new Replacement("huge integer", NODES.numberNode(new BigInteger("9".repeat(40))), Kind.NUMBER),
            new Replacement("huge exponent", NODES.numberNode(new BigDecimal("1E+400")), Kind.NUMBER),
            new Replacement("true", NODES.booleanNode(true), Kind.BOOLEAN),
            new Replacement("empty array", NODES.arrayNode(), Kind.ARRAY),
            new Replacement("array of a string", NODES.arrayNode().add("x"), Kind.ARRAY),
            new Replacement("array of numbers", NODES.arrayNode().add(1).add(2), Kind.ARRAY),
            new Replacement("empty object", NODES.objectNode(), Kind.OBJECT),
            new Replacement("object", NODES.objectNode().put("a", 1), Kind.OBJECT));

    private BodyMutations() {
    }

    /**
     * @param example   one valid body, to find the fields and their types
     * @param required  JSON pointers of fields whose absence or null makes the body invalid
     * @param baseValid whether the unchanged body is always accepted (state-independent)
     * @param lenient   pointers of fields with their own deserializer (e.g. a count or a percentage), whose type
     *                  rules the test does not model
     */
    static List<Mutation> of(ObjectNode example, Set<String> required, boolean baseValid, Set<String> lenient,
                             long seed, int randomCount) {
        List<Mutation> out = new ArrayList<>();
        Map<String, Kind> fields = new java.util.LinkedHashMap<>();
        collect(example, "", fields);
        for (Map.Entry<String, Kind> field : fields.entrySet()) {
            String path = field.getKey();
            boolean isRequired = required.contains(path) || required.stream().anyMatch(r -> r.startsWith(path + "/"));
            for (Replacement r : REPLACEMENTS) {
                boolean isLenient = lenient.contains(path) && r.kind() != Kind.NULL;
                Expect expect = isLenient ? Expect.EITHER : replaceExpectation(field.getValue(), r, isRequired);
                String names = !isLenient && namesField(field.getValue(), r) ? fieldName(path) : null;
                out.add(new Mutation(path + " = " + r.label(), expect, Mutation.JSON,
                        b -> bytes(set(b, path, r.value().deepCopy())), names));
            }
            out.add(raw(path + " = deeply nested arrays", Expect.INVALID, Mutation.JSON, b -> replaceValue(b, path,
                    ("[".repeat(5_000) + "]".repeat(5_000)).getBytes(StandardCharsets.UTF_8))));
            // A lone continuation byte and a byte that never occurs in UTF-8, inside a string.
            out.add(raw(path + " = invalid UTF-8", Expect.INVALID, Mutation.JSON,
                    b -> replaceValue(b, path, new byte[] {'"', 'a', (byte) 0x80, (byte) 0xFE, 'b', '"'})));
            out.add(json(path + " removed", isRequired ? Expect.INVALID : Expect.EITHER, b -> remove(b, path)));
        }
        Expect asBase = baseValid ? Expect.VALID : Expect.EITHER;
        out.add(json("unchanged", asBase, b -> b));
        out.add(json("unknown field", asBase, b -> b.put("zz_unknown_field", "x")));
        out.add(json("unknown nested object", asBase, b -> b.set("zz_unknown", NODES.objectNode().put("k", 1))));
        out.add(json("top-level array", Expect.INVALID, b -> NODES.arrayNode().add(b)));
        out.add(json("top-level string", Expect.INVALID, b -> NODES.textNode("x")));
        out.add(json("top-level number", Expect.INVALID, b -> NODES.numberNode(42)));
        out.add(json("top-level null", Expect.INVALID, b -> NODES.nullNode()));
        out.add(json("empty object", required.isEmpty() ? Expect.EITHER : Expect.INVALID, b -> NODES.objectNode()));
        out.add(raw("empty body", Expect.INVALID, Mutation.JSON, b -> new byte[0]));
        out.add(raw("whitespace body", Expect.INVALID, Mutation.JSON, b -> "  \n ".getBytes(StandardCharsets.UTF_8)));
        out.add(raw("not JSON", Expect.INVALID, Mutation.JSON, b -> "name=x&type=y".getBytes(StandardCharsets.UTF_8)));
        out.add(raw("XML", Expect.INVALID, Mutation.JSON, b -> "<a><b/></a>".getBytes(StandardCharsets.UTF_8)));
        out.add(raw("deeply nested body", Expect.INVALID, Mutation.JSON,
                b -> ("[".repeat(10_000) + "]".repeat(10_000)).getBytes(StandardCharsets.UTF_8)));
        out.add(raw("oversized body", Expect.INVALID, Mutation.JSON, b -> {
            b.put("zz_padding", "p".repeat(OVERSIZED));
            return bytes(b);
        }));
        out.add(raw("trailing garbage", Expect.EITHER, Mutation.JSON, b -> concat(bytes(b), "}}garbage")));
        out.add(raw("two documents", Expect.EITHER, Mutation.JSON, b -> concat(bytes(b), bytes(b))));
        out.add(raw("BOM prefix", Expect.EITHER, Mutation.JSON,
                b -> concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, new String(bytes(b), StandardCharsets.UTF_8))));
        out.add(raw("invalid UTF-8 bytes", Expect.INVALID, Mutation.JSON,
                b -> concat(new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, '"', ':', '1'}, "}")));
        // Jackson detects UTF-16 (allowed by the older JSON RFCs); accepting it is harmless.
        out.add(raw("UTF-16 body", Expect.EITHER, Mutation.JSON,
                b -> new String(bytes(b), StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_16LE)));
        for (String type : List.of("text/plain", "application/xml", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=zz", "application/octet-stream")) {
            out.add(raw("content type " + type, Expect.INVALID, type, BodyMutations::bytes));
        }
        out.add(raw("no content type", Expect.EITHER, null, BodyMutations::bytes));
        out.add(raw("JSON with charset", asBase, "application/json; charset=UTF-8", BodyMutations::bytes));
        for (Map.Entry<String, Kind> field : fields.entrySet()) {
            String path = field.getKey();
            if (path.lastIndexOf('/') == 0) {
                out.add(raw(path + " duplicated, wrong type first", Expect.EITHER, Mutation.JSON,
                        b -> duplicated(b, path.substring(1), true)));
                out.add(raw(path + " duplicated, wrong type last", Expect.EITHER, Mutation.JSON,
                        b -> duplicated(b, path.substring(1), false)));
            }
        }
        byte[] whole = bytes(example);
        Random random = new Random(seed);
        for (int i = 0; i < 20; i++) {
            int cut = 1 + random.nextInt(whole.length - 1);
            out.add(raw("truncated at " + cut, Expect.INVALID, Mutation.JSON,
                    b -> java.util.Arrays.copyOf(bytes(b), Math.min(cut, bytes(b).length - 1))));
        }
        List<String> paths = new ArrayList<>(fields.keySet());
        for (int i = 0; i < randomCount; i++) {
            List<String> chosenPaths = new ArrayList<>();
            List<Replacement> chosen = new ArrayList<>();
            int n = 2 + random.nextInt(3);
            for (int k = 0; k < n; k++) {
                chosenPaths.add(paths.get(random.nextInt(paths.size())));
                chosen.add(REPLACEMENTS.get(random.nextInt(REPLACEMENTS.size())));
            }
            StringBuilder name = new StringBuilder("random #" + i + ":");
            for (int k = 0; k < n; k++) {
                name.append(' ').append(chosenPaths.get(k)).append(" = ").append(chosen.get(k).label()).append(';');
            }
            // Later changes may overwrite or remove earlier ones, so only the mix as a whole is judged: never 5xx.
            out.add(json(name.toString(), Expect.EITHER, b -> {
                JsonNode current = b;
                for (int k = 0; k < chosenPaths.size(); k++) {
                    current = current instanceof ObjectNode o ? set(o, chosenPaths.get(k), chosen.get(k).value().deepCopy())
                            : current;
                }
                return current;
            }));
        }
        return out;
    }

    private static Expect replaceExpectation(Kind field, Replacement r, boolean required) {
        if (r.kind() == Kind.NULL) {
            return required ? Expect.INVALID : Expect.EITHER;
        }
        if (namesField(field, r)) {
            return Expect.INVALID;
        }
        return switch (field) {
            // Strict typing: a string field takes only strings.
            case TEXT -> r.kind() == Kind.TEXT ? Expect.EITHER : Expect.INVALID;
            case NUMBER -> switch (r.kind()) {
                case NUMBER -> r.label().contains("overflow") || r.label().contains("underflow")
                        || r.label().equals("huge integer") ? Expect.INVALID : Expect.EITHER;
                default -> Expect.INVALID;
            };
            case BOOLEAN -> r.kind() == Kind.BOOLEAN ? Expect.EITHER : Expect.INVALID;
            case ARRAY -> r.kind() == Kind.ARRAY ? Expect.EITHER : Expect.INVALID;
            case OBJECT -> r.kind() == Kind.OBJECT ? Expect.EITHER : Expect.INVALID;
            case NULL -> Expect.EITHER;
        };
    }

    /** Replacements refused because of this one field whatever the rest holds, so the error must name it. */
    private static boolean namesField(Kind field, Replacement r) {
        return field == Kind.TEXT && (r.label().equals(NUL) || r.label().equals(OVER_LONG))
                || field == Kind.NUMBER && NOT_INTEGERS.contains(r.label());
    }

    /** The field's JSON name as error messages give it: the pointer's last segment that is not an array index. */
    private static String fieldName(String path) {
        String[] segments = path.split("/");
        for (int i = segments.length - 1; i > 0; i--) {
            if (!segments[i].chars().allMatch(Character::isDigit)) {
                return segments[i];
            }
        }
        return path;
    }

    private static void collect(JsonNode node, String path, Map<String, Kind> into) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                String child = path + "/" + e.getKey();
                into.put(child, kind(e.getValue()));
                collect(e.getValue(), child, into);
            }
        } else if (node.isArray() && !node.isEmpty()) {
            String child = path + "/0";
            into.put(child, kind(node.get(0)));
            collect(node.get(0), child, into);
        }
    }

    private static Kind kind(JsonNode node) {
        if (node.isTextual()) {
            return Kind.TEXT;
        }
        if (node.isNumber()) {
            return Kind.NUMBER;
        }
        if (node.isBoolean()) {
            return Kind.BOOLEAN;
        }
        if (node.isArray()) {
            return Kind.ARRAY;
        }
        return node.isObject() ? Kind.OBJECT : Kind.NULL;
    }

    private static JsonNode set(ObjectNode body, String path, JsonNode value) {
        JsonPointer pointer = JsonPointer.compile(path);
        JsonNode parent = body.at(pointer.head());
        String last = pointer.last().getMatchingProperty();
        if (parent instanceof ObjectNode o) {
            o.set(last, value);
        } else if (parent instanceof ArrayNode a && pointer.last().getMatchingIndex() >= 0
                && pointer.last().getMatchingIndex() < a.size()) {
            a.set(pointer.last().getMatchingIndex(), value);
        }
        return body;
    }

    private static JsonNode remove(ObjectNode body, String path) {
        JsonPointer pointer = JsonPointer.compile(path);
        JsonNode parent = body.at(pointer.head());
        if (parent instanceof ObjectNode o) {
            o.remove(pointer.last().getMatchingProperty());
        } else if (parent instanceof ArrayNode a && pointer.last().getMatchingIndex() >= 0
                && pointer.last().getMatchingIndex() < a.size()) {
            a.remove(pointer.last().getMatchingIndex());
        }
        return body;
    }

    /** The body with the field's value replaced by raw bytes (which a tree cannot hold). */
    private static byte[] replaceValue(ObjectNode body, String path, byte[] rawValue) {
        String marker = "\"@@RAW@@\"";
        set(body, path, NODES.textNode("@@RAW@@"));
        String text = new String(bytes(body), StandardCharsets.UTF_8);
        int at = text.indexOf(marker);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(text.substring(0, at).getBytes(StandardCharsets.UTF_8));
        out.writeBytes(rawValue);
        out.writeBytes(text.substring(at + marker.length()).getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static byte[] duplicated(ObjectNode body, String field, boolean wrongFirst) {
        String text = new String(bytes(body), StandardCharsets.UTF_8);
        String wrong = "\"" + field + "\":[[1]]";
        return (wrongFirst ? "{" + wrong + "," + text.substring(1)
                : text.substring(0, text.length() - 1) + "," + wrong + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static Mutation json(String name, Expect expect, Function<ObjectNode, JsonNode> change) {
        return new Mutation(name, expect, Mutation.JSON, b -> bytes(change.apply(b)), null);
    }

    private static Mutation raw(String name, Expect expect, String contentType, Function<ObjectNode, byte[]> body) {
        return new Mutation(name, expect, contentType, body, null);
    }

    static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] concat(byte[] head, String tail) {
        return concat(head, tail.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] concat(byte[] head, byte[] tail) {
        byte[] all = java.util.Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }
}
