import { resnet } from './resnet18.js';
import { conv, type Layer, type Network } from './spec.js';

/** torchvision's Bottleneck ("v1.5": the stride sits in the 3×3): 1×1 → 3×3 → 1×1, 4× wider out. */
function bottleneck(name: string, cin: number, planes: number, stride: number): { block: Layer; cout: number } {
  const cout = planes * 4;
  const body = [
    conv(`${name}.conv1`, cin, planes, 1),
    conv(`${name}.conv2`, planes, planes, 3, stride, 1),
    conv(`${name}.conv3`, planes, cout, 1, 1, 0, false),
  ];
  const shortcut = stride !== 1 || cin !== cout ? [conv(`${name}.downsample`, cin, cout, 1, stride, 0, false)] : [];
  return { block: { kind: 'residual', body, shortcut }, cout };
}

/** ResNet-50, 1000 classes, `size`×`size` input (224 by default). */
export function resnet50(batch = 1, size = 224): Network {
  return resnet('resnet50', bottleneck, [3, 4, 6, 3], batch, size);
}
