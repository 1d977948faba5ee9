/** The signer's wire format: answers and errors. Requests are read field by field in core. */
package net.appstore.signer.api;
