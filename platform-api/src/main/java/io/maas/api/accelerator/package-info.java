/**
 * The accelerator SPI: one {@link io.maas.api.accelerator.AcceleratorProvider} per vendor (NVIDIA,
 * Huawei Ascend, Kunlunxin, CPU), loaded with {@link java.util.ServiceLoader} through
 * {@link io.maas.api.accelerator.AcceleratorProviders}. A provider discovers the devices of its vendor
 * by running the vendor's tool through a {@link io.maas.api.accelerator.ToolRunner}, names how a
 * process and a Kubernetes pod select devices, says which precisions a chip runs, and builds the
 * launch command of the engines that run on it.
 *
 * <p>Compatibility: this package is a published contract. Adding a type, a default method or an
 * enum constant is compatible; removing or changing anything, or adding an abstract method, is
 * not, and {@code AcceleratorSpiCompatibilityTests} fails on it.
 */
package io.maas.api.accelerator;
