/**
 * The JSON shapes of the catalog API ({@code /api/v1}). Field names are snake_case on the wire;
 * times are RFC 3339 strings; amounts are decimal strings. Changing a shape needs a reason written
 * in the module README.
 */
package net.appstore.catalog.api;
