/**
 * What an engine adapter tells the gateway about its engine for routing ({@code GET /engine/status}) and
 * for billing (a request's receipt, {@code GET /engine/requests/{id}}).
 * Names are camelCase; unknown members are ignored when reading, so newer adapters stay compatible.
 */
package io.maas.api.engine;
