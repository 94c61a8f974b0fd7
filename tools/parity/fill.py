"""The deterministic weight rule shared with TypeScript (tools/parity/fill.ts), bit for bit.

Every value is a small integer times a power of two, so it is exact in float32 and both sides
produce the same bits without any floating-point arithmetic:

  h      = FNV-1a 32-bit hash of the state_dict key's UTF-8 bytes
  x_i    = fmix32((h + i * 0x9E3779B1) mod 2^32)          (murmur3's finaliser)
  q_i    = (x_i mod 255) - 127                            (an integer in [-127, 127])

and by role (the key's last segment and the tensor's rank):

  weight with rank >= 2 (conv, linear):  q_i * 2^-(e + 5), e the smallest e >= 0 with 4^e >= fan_in
  running_var:                           2 + q_i * 2^-8   (in [1.5, 2.5]: each BN layer about
                                         halves the variance, so residual stacks stay finite)
  1-D weight (BN scale):                 1 + q_i * 2^-9
  running_mean, bias:                    q_i * 2^-10
  num_batches_tracked:                   left as it is
"""
import numpy as np

M32 = np.uint64(0xFFFFFFFF)


def fnv1a(key: str) -> int:
    h = 0x811C9DC5
    for b in key.encode('utf-8'):
        h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
    return h


def ints(key: str, n: int) -> np.ndarray:
    """q_0 … q_{n-1} for `key` (int64)."""
    i = np.arange(n, dtype=np.uint64)
    x = (np.uint64(fnv1a(key)) + i * np.uint64(0x9E3779B1)) & M32
    x ^= x >> np.uint64(16)
    x = (x * np.uint64(0x85EBCA6B)) & M32
    x ^= x >> np.uint64(13)
    x = (x * np.uint64(0xC2B2AE35)) & M32
    x ^= x >> np.uint64(16)
    return (x % np.uint64(255)).astype(np.int64) - 127


def fan_exponent(fan_in: int) -> int:
    e = 0
    while 4 ** e < fan_in:
        e += 1
    return e


def rule_values(key: str, shape: tuple) -> np.ndarray | None:
    """The float32 values the rule gives `key` (None: leave the tensor alone)."""
    leaf = key.rsplit('.', 1)[-1]
    if leaf == 'num_batches_tracked':
        return None
    n = int(np.prod(shape)) if shape else 1
    q = ints(key, n).astype(np.float64)
    if leaf == 'weight' and len(shape) >= 2:
        fan_in = int(np.prod(shape[1:]))
        v = q * 2.0 ** -(fan_exponent(fan_in) + 5)
    elif leaf == 'running_var':
        v = 2 + q * 2.0 ** -8
    elif leaf == 'weight':
        v = 1 + q * 2.0 ** -9
    elif leaf in ('running_mean', 'bias'):
        v = q * 2.0 ** -10
    else:
        raise ValueError(f'no fill rule for {key}')
    return v.astype(np.float32).reshape(shape)


def input_values(shape: tuple) -> np.ndarray:
    """The network input: q_i / 128 for the key 'input' (values in [-1, 1))."""
    n = int(np.prod(shape))
    return (ints('input', n).astype(np.float64) / 128).astype(np.float32).reshape(shape)
