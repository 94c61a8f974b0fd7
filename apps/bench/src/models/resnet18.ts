import { conv, type Layer, type Network } from './spec.js';

/** One residual block of a stage: its layer and the channels it outputs. */
export type BlockMaker = (name: string, cin: number, planes: number, stride: number) => { block: Layer; cout: number };

/** torchvision's BasicBlock: two 3×3 convs, a 1×1 stride-2 projection when the shape changes. */
function basicBlock(name: string, cin: number, planes: number, stride: number): { block: Layer; cout: number } {
  const body = [conv(`${name}.conv1`, cin, planes, 3, stride, 1), conv(`${name}.conv2`, planes, planes, 3, 1, 1, false)];
  const shortcut = stride !== 1 || cin !== planes ? [conv(`${name}.downsample`, cin, planes, 1, stride, 0, false)] : [];
  return { block: { kind: 'residual', body, shortcut }, cout: planes };
}

/**
 * A ResNet in torchvision's layout: 7×7 stride-2 stem, max pool, four stages (64, 128, 256, 512
 * planes; the first block of stages 2–4 halves the resolution), global average pooling, `fc`.
 */
export function resnet(name: string, makeBlock: BlockMaker, depths: readonly number[], batch: number, size: number): Network {
  const layers: Layer[] = [conv('conv1', 3, 64, 7, 2, 3), { kind: 'maxpool', k: 3, stride: 2, pad: 1 }];
  let cin = 64;
  depths.forEach((n, stage) => {
    for (let j = 0; j < n; j++) {
      const { block, cout } = makeBlock(`layer${stage + 1}.${j}`, cin, 64 * 2 ** stage, stage > 0 && j === 0 ? 2 : 1);
      layers.push(block);
      cin = cout;
    }
  });
  layers.push({ kind: 'gap' }, { kind: 'linear', name: 'fc', cin, cout: 1000 });
  return { name, input: [batch, 3, size, size], layers };
}

/** ResNet-18 (He et al. 2016), 1000 classes, `size`×`size` input (224 by default). */
export function resnet18(batch = 1, size = 224): Network {
  return resnet('resnet18', basicBlock, [2, 2, 2, 2], batch, size);
}
