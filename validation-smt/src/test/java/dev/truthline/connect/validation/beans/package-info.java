/** Bean Validation contract classes for the tests of {@code contract.class}. */
package dev.truthline.connect.validation.beans;
