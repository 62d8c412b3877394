/** The tenant and billing states that the control plane writes and the gateway reads. */
package io.maas.api.tenant;
