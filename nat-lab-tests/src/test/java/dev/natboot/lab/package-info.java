/**
 * End-to-end tests against a real router in network namespaces.
 */
package dev.natboot.lab;
