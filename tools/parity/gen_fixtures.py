#!/usr/bin/python3
"""Writes the zoo's PyTorch parity fixtures (run once with Debian's torch 1.13 / torchvision 0.14;
CI does not need torch):

  plugins/models-*/test/fixtures/<arch>.json   per architecture: the input shape, expected eval
      logits for the rule-filled weights and input (tools/parity/fill.py), the parameter count,
      the smallest input size the network accepts and every state_dict key with its shape.
  plugins/models-classic/test/fixtures/lenet5.safetensors   real (torch-initialised) LeNet-5
      weights in float16, written by hand in the safetensors format, with their logits in
      lenet5-safetensors.json: one genuine round trip through @fovea/io.

Usage: /usr/bin/python3 tools/parity/gen_fixtures.py [arch ...]
"""
import json
import pathlib
import struct
import sys

import numpy as np
import torch
import torchvision.models as tvm

sys.path.insert(0, str(pathlib.Path(__file__).parent))
import extra_models as xm  # noqa: E402
from fill import input_values, rule_values  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]

# name -> (package, builder, input shape [N, C, H, W]); sizes are small but leave every layer a
# real spatial extent where that is affordable on the js backend.
ZOO = {
    'resnet18': ('resnet', tvm.resnet18, [2, 3, 64, 64]),
    'resnet34': ('resnet', tvm.resnet34, [1, 3, 64, 64]),
    'resnet50': ('resnet', tvm.resnet50, [1, 3, 64, 64]),
    'resnet101': ('resnet', tvm.resnet101, [1, 3, 32, 32]),
    'resnet152': ('resnet', tvm.resnet152, [1, 3, 32, 32]),
    'wide_resnet50_2': ('resnet', tvm.wide_resnet50_2, [1, 3, 32, 32]),
    'wide_resnet101_2': ('resnet', tvm.wide_resnet101_2, [1, 3, 32, 32]),
    'resnext50_32x4d': ('resnet', tvm.resnext50_32x4d, [1, 3, 32, 32]),
    'resnext101_32x8d': ('resnet', tvm.resnext101_32x8d, [1, 3, 32, 32]),
    'resnext101_64x4d': ('resnet', tvm.resnext101_64x4d, [1, 3, 32, 32]),
    'preact_resnet18': ('resnet', lambda: xm.PreActResNet([2, 2, 2, 2], False), [2, 3, 64, 64]),
    'preact_resnet34': ('resnet', lambda: xm.PreActResNet([3, 4, 6, 3], False), [1, 3, 32, 32]),
    'preact_resnet50': ('resnet', lambda: xm.PreActResNet([3, 4, 6, 3], True), [1, 3, 32, 32]),
    'preact_resnet101': ('resnet', lambda: xm.PreActResNet([3, 4, 23, 3], True), [1, 3, 32, 32]),
    'preact_resnet152': ('resnet', lambda: xm.PreActResNet([3, 8, 36, 3], True), [1, 3, 32, 32]),
    'googlenet': ('googlenet', tvm.googlenet, [1, 3, 64, 64]),
    'squeezenet1_0': ('squeezenet', tvm.squeezenet1_0, [2, 3, 64, 64]),
    'squeezenet1_1': ('squeezenet', tvm.squeezenet1_1, [2, 3, 64, 64]),
    'lenet5': ('classic', xm.LeNet5, [2, 1, 32, 32]),
    'alexnet': ('classic', tvm.alexnet, [1, 3, 96, 96]),
    'zfnet': ('classic', xm.ZFNet, [1, 3, 96, 96]),
    'nin': ('classic', xm.NiN, [1, 3, 96, 96]),
    'densenet121': ('densenet', tvm.densenet121, [1, 3, 32, 32]),
    'densenet161': ('densenet', tvm.densenet161, [1, 3, 32, 32]),
    'densenet169': ('densenet', tvm.densenet169, [1, 3, 32, 32]),
    'densenet201': ('densenet', tvm.densenet201, [1, 3, 32, 32]),
}
for depth in (11, 13, 16, 19):
    for bn in ('', '_bn'):
        ZOO[f'vgg{depth}{bn}'] = ('classic', getattr(tvm, f'vgg{depth}{bn}'), [1, 3, 32, 32])


def fill_(model: torch.nn.Module) -> None:
    with torch.no_grad():
        for key, t in model.state_dict().items():
            v = rule_values(key, tuple(t.shape))
            if v is not None:
                t.copy_(torch.from_numpy(v))


def min_input_size(model: torch.nn.Module, channels: int) -> int:
    """The smallest square input the network runs on (eval mode)."""
    with torch.no_grad():
        for s in range(1, 512):
            try:
                model(torch.zeros(1, channels, s, s))
                return s
            except RuntimeError:
                continue
    raise RuntimeError('no size up to 511 works')


def build(builder) -> torch.nn.Module:
    model = builder()
    return model.eval()


def write_fixture(name: str) -> None:
    package, builder, shape = ZOO[name]
    torch.manual_seed(0)
    model = build(builder)
    fill_(model)
    x = torch.from_numpy(input_values(tuple(shape)))
    with torch.no_grad():
        logits = model(x)
    fixture = {
        'arch': name,
        'source': 'torchvision 0.14' if hasattr(tvm, name) else 'tools/parity/extra_models.py',
        'input': shape,
        'minInputSize': min_input_size(model, shape[1]),
        'paramCount': sum(p.numel() for p in model.parameters()),
        'stateDict': [[k, list(t.shape)] for k, t in model.state_dict().items()],
        'logits': [float(f'{v:.8g}') for v in logits.flatten().tolist()],
        'logitsShape': list(logits.shape),
    }
    out = ROOT / f'plugins/models-{package}/test/fixtures/{name}.json'
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(fixture, separators=(',', ':')) + '\n')
    print(f'{name}: {fixture["paramCount"]:,} params, min {fixture["minInputSize"]}, '
          f'|logits| max {logits.abs().max():.4g} std {logits.std():.4g} -> {out.relative_to(ROOT)}')


def write_safetensors(path: pathlib.Path, tensors: dict) -> None:
    """The safetensors layout by hand: u64 LE header length, JSON header, raw little-endian data."""
    header, blobs, offset = {'__metadata__': {'format': 'pt'}}, [], 0
    for key, t in tensors.items():
        data = t.detach().contiguous().numpy().astype('<f2').tobytes()
        header[key] = {'dtype': 'F16', 'shape': list(t.shape), 'data_offsets': [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(',', ':')).encode()
    text += b' ' * (-len(text) % 8)
    path.write_bytes(struct.pack('<Q', len(text)) + text + b''.join(blobs))


def write_safetensors_fixture() -> None:
    torch.manual_seed(5)
    model = xm.LeNet5().eval()
    with torch.no_grad():  # the file holds float16; the reference logits use the same rounded weights
        for t in model.state_dict().values():
            t.copy_(t.half().float())
    out = ROOT / 'plugins/models-classic/test/fixtures'
    write_safetensors(out / 'lenet5.safetensors', model.state_dict())
    x = torch.from_numpy(input_values((2, 1, 32, 32)))
    with torch.no_grad():
        logits = model(x)
    (out / 'lenet5-safetensors.json').write_text(json.dumps({
        'input': [2, 1, 32, 32],
        'logits': [float(f'{v:.8g}') for v in logits.flatten().tolist()],
    }) + '\n')
    print('lenet5.safetensors written')


if __name__ == '__main__':
    names = sys.argv[1:] or list(ZOO)
    for n in names:
        if n == 'safetensors':
            write_safetensors_fixture()
        else:
            write_fixture(n)
    if not sys.argv[1:]:
        write_safetensors_fixture()
