package dev.truthline.connect.contract;

import java.util.List;

import com.fasterxml.jackson.databind.JsonMappingException.Reference;

/** Element paths as contracts and records spell them: {@code schema[0].properties[2].name}, {@code items[1].qty}. */
public final class ElementPaths {

    private ElementPaths() {
    }

    /** The path of a Jackson mapping problem. */
    public static String of(List<Reference> references) {
        StringBuilder path = new StringBuilder();
        for (Reference reference : references) {
            if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            } else if (reference.getFieldName() != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(reference.getFieldName());
            }
        }
        return path.toString();
    }

    /** Orders paths as their elements appear: numbers in brackets compare as numbers, so [2] comes before [10]. */
    public static int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char ca = a.charAt(i);
            char cb = b.charAt(j);
            if (Character.isDigit(ca) && Character.isDigit(cb)) {
                int endA = i;
                while (endA < a.length() && Character.isDigit(a.charAt(endA))) {
                    endA++;
                }
                int endB = j;
                while (endB < b.length() && Character.isDigit(b.charAt(endB))) {
                    endB++;
                }
                // Numbers of more digits are greater; of as many digits, compare digit by digit.
                int c = Integer.compare(endA - i, endB - j);
                if (c == 0) {
                    c = a.substring(i, endA).compareTo(b.substring(j, endB));
                }
                if (c != 0) {
                    return c;
                }
                i = endA;
                j = endB;
            } else {
                if (ca != cb) {
                    return Character.compare(ca, cb);
                }
                i++;
                j++;
            }
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
