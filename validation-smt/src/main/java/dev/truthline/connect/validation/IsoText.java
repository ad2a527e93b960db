package dev.truthline.connect.validation;

import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Dates, times and timestamps written as ISO-8601 text, the default format of ODCS's {@code date},
 * {@code time} and {@code timestamp}: {@code 2024-01-31}, {@code 13:45:00}, {@code 2024-01-31T13:45:00Z}
 * (an offset is optional, as is a fraction of a second).
 */
final class IsoText {

    private IsoText() {
    }

    static boolean isDate(Object value) {
        return parses(value, DateTimeFormatter.ISO_LOCAL_DATE);
    }

    static boolean isTime(Object value) {
        return parses(value, DateTimeFormatter.ISO_TIME);
    }

    static boolean isTimestamp(Object value) {
        return parses(value, DateTimeFormatter.ISO_DATE_TIME);
    }

    private static boolean parses(Object value, DateTimeFormatter format) {
        if (!(value instanceof String)) {
            return false;
        }
        try {
            format.parse((String) value);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
