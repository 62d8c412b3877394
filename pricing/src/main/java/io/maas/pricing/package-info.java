/** Price books, time-of-day tiers and exact request pricing: a plain Java library with no Spring. */
package io.maas.pricing;
