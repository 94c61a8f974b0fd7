import { conv, type Layer, type Network } from './spec.js';

/** torchvision's BasicBlock: two 3×3 convs, a 1×1 stride-2 projection when the shape changes. */
function basicBlock(name: string, cin: number, cout: number, stride: number): Layer {
  const body = [conv(`${name}.conv1`, cin, cout, 3, stride, 1), conv(`${name}.conv2`, cout, cout, 3, 1, 1, false)];
  const shortcut = stride !== 1 || cin !== cout ? [conv(`${name}.downsample`, cin, cout, 1, stride, 0, false)] : [];
  return { kind: 'residual', body, shortcut };
}

/** ResNet-18 (He et al. 2016; torchvision's layout), 224×224 input, 1000 classes. */
export function resnet18(batch = 1): Network {
  const widths = [64, 128, 256, 512];
  const layers: Layer[] = [conv('conv1', 3, 64, 7, 2, 3), { kind: 'maxpool', k: 3, stride: 2, pad: 1 }];
  let cin = 64;
  widths.forEach((w, i) => {
    layers.push(basicBlock(`layer${i + 1}.0`, cin, w, i === 0 ? 1 : 2), basicBlock(`layer${i + 1}.1`, w, w, 1));
    cin = w;
  });
  layers.push({ kind: 'gap' }, { kind: 'linear', name: 'fc', cin: 512, cout: 1000 });
  return { name: 'resnet18', input: [batch, 3, 224, 224], layers };
}
