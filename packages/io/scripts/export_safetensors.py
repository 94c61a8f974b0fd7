"""Write a PyTorch state_dict as a safetensors file, with nothing but torch installed.

    python3 export_safetensors.py resnet18 resnet18.safetensors   # a torchvision model's pretrained weights
    python3 export_safetensors.py --fixture small.safetensors     # the small file @fovea/io's tests load

Then, in Fovea: `await loadWeights(model, 'resnet18.safetensors')` (@fovea/io). The names are
PyTorch's state_dict keys, which Fovea's modules use too. The `safetensors` package's
`save_file(model.state_dict(), path)` writes the same format; this script only avoids needing it.
"""
import json
import struct
import sys

import torch

DTYPES = {
    torch.float64: "F64", torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16",
    torch.int64: "I64", torch.int32: "I32", torch.int16: "I16", torch.int8: "I8",
    torch.uint8: "U8", torch.bool: "BOOL",
}


def save(tensors, path, metadata=None):
    """Header (8-byte little-endian length, JSON padded with spaces to 8 bytes), then the data."""
    header, chunks, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = metadata
    for name, t in tensors.items():
        data = t.detach().cpu().contiguous().reshape(-1).view(torch.uint8).numpy().tobytes()
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(chunks))


def fixture(path):
    """A tiny model in eval mode with its output on a fixed input, plus one tensor of every dtype."""
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.BatchNorm1d(2))
    model.train()
    model(torch.randn(8, 3))  # moves the running statistics and num_batches_tracked off their defaults
    model.eval()
    x = torch.tensor([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]])
    tensors = {f"model.{k}": v for k, v in model.state_dict().items()}
    tensors.update({
        "dtypes.f64": torch.tensor([0.1, -1e10], dtype=torch.float64),
        "dtypes.f16": torch.tensor([1.5, -2.0, 65504.0, 2 ** -24], dtype=torch.float16),
        "dtypes.bf16": torch.tensor([[1.0, -2.5], [0.15625, 3e38]], dtype=torch.bfloat16),
        "dtypes.i64": torch.tensor([-3, 2 ** 31 - 1], dtype=torch.int64),
        "dtypes.i16": torch.tensor([-300, 300], dtype=torch.int16),
        "dtypes.i8": torch.tensor([-128, 127], dtype=torch.int8),
        "dtypes.u8": torch.tensor([0, 128, 255], dtype=torch.uint8),
        "dtypes.bool": torch.tensor([True, False, True]),
    })
    metadata = {"format": "pt", "input": json.dumps(x.tolist()), "output": json.dumps(model(x).tolist()),
                "bf16": json.dumps(tensors["dtypes.bf16"].float().tolist())}
    save(tensors, path, metadata)


if __name__ == "__main__":
    if sys.argv[1] == "--fixture":
        fixture(sys.argv[2])
    else:
        import torchvision
        model = getattr(torchvision.models, sys.argv[1])(weights="DEFAULT")
        save(model.state_dict(), sys.argv[2], {"format": "pt"})
