/**
 * Data contracts written in the Open Data Contract Standard (ODCS v3): a small model of the parts
 * that can be enforced on records ({@link dev.truthline.connect.contract.OdcsContract}),
 * its parser ({@link dev.truthline.connect.contract.OdcsParser}), which checks the model with
 * Bean Validation constraints so that every problem names its element, and its compiler
 * ({@link dev.truthline.connect.contract.OdcsCompiler}), which turns one schema object into
 * {@link dev.truthline.connect.contract.ContractRule}s and lists what cannot be checked record
 * by record.
 */
package dev.truthline.connect.contract;
