package io.podidentity.mutation;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the first record of RFC 4180 CSV text with the strictness of Go's {@code encoding/csv}
 * reader (no lazy quotes): a quote inside an unquoted field, text after a closing quote or an
 * unterminated quoted field makes the record malformed.
 */
final class CsvRecord {

    private CsvRecord() {}

    /**
     * @return the fields of the first non-empty line
     * @throws IllegalArgumentException naming the problem when the record is malformed or absent
     */
    static List<String> parse(String text) {
        int pos = 0;
        // Go's reader skips empty lines before the first record.
        while (pos < text.length() && (text.charAt(pos) == '\n' || text.charAt(pos) == '\r')) {
            pos++;
        }
        if (pos == text.length()) {
            throw new IllegalArgumentException("the value is empty");
        }
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        while (true) {
            field.setLength(0);
            if (pos < text.length() && text.charAt(pos) == '"') {
                pos = quotedField(text, pos + 1, field);
                if (pos < text.length() && text.charAt(pos) != ',' && !lineEnd(text.charAt(pos))) {
                    throw new IllegalArgumentException("extraneous \" in field " + (fields.size() + 1));
                }
            } else {
                while (pos < text.length() && text.charAt(pos) != ',' && !lineEnd(text.charAt(pos))) {
                    char c = text.charAt(pos++);
                    if (c == '"') {
                        throw new IllegalArgumentException("bare \" in unquoted field " + (fields.size() + 1));
                    }
                    field.append(c);
                }
            }
            fields.add(field.toString());
            if (pos < text.length() && text.charAt(pos) == ',') {
                pos++;
                continue;
            }
            return fields;
        }
    }

    private static int quotedField(String text, int pos, StringBuilder field) {
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c != '"') {
                field.append(c);
            } else if (pos < text.length() && text.charAt(pos) == '"') {
                field.append('"');
                pos++;
            } else {
                return pos;
            }
        }
        throw new IllegalArgumentException("a quoted field is not terminated");
    }

    private static boolean lineEnd(char c) {
        return c == '\n' || c == '\r';
    }
}
