/**
 * Small helpers every layer may use (number parsing and formatting with Redis's rules).
 * Depends on nothing else in the server (only on the RDB library's number rules), so it never
 * bends the layering of DESIGN.md.
 */
package io.cowkv.server.util;
