/** Variants over ~60M parameters, whose parity tests run in their own process. */
export const LARGE = ['wide_resnet50_2', 'wide_resnet101_2', 'resnext101_32x8d', 'resnext101_64x4d', 'resnet152', 'preact_resnet152'];
