"""PyTorch definitions of the zoo's architectures that torchvision lacks, written from the papers
with the same module names as Fovea's TypeScript models, so their fixtures come from PyTorch too.

- LeNet-5 (LeCun et al. 1998): tanh units and average-pooling subsampling, 1x32x32 input.
- ZFNet (Zeiler & Fergus 2013): AlexNet's layout with a 7x7 stride-2 first layer, a stride-2
  second layer and 512/1024/512 filters in layers 3-5 (the CS231n notes' version).
- NiN (Lin et al. 2013): mlpconv blocks (a conv then two 1x1 convs), global average pooling.
- Pre-activation ResNet (He et al. 2016, "Identity mappings"): BN-ReLU-conv blocks, projection
  shortcuts taken from the pre-activated input, a final BN-ReLU before pooling.
"""
import torch
from torch import nn


class LeNet5(nn.Module):
    def __init__(self, num_classes=10, in_channels=1):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(in_channels, 6, 5), nn.Tanh(), nn.AvgPool2d(2),
            nn.Conv2d(6, 16, 5), nn.Tanh(), nn.AvgPool2d(2),
        )
        self.classifier = nn.Sequential(
            nn.Linear(16 * 5 * 5, 120), nn.Tanh(), nn.Linear(120, 84), nn.Tanh(), nn.Linear(84, num_classes),
        )

    def forward(self, x):
        return self.classifier(torch.flatten(self.features(x), 1))


class ZFNet(nn.Module):
    def __init__(self, num_classes=1000, dropout=0.5):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 96, 7, stride=2, padding=1), nn.ReLU(), nn.MaxPool2d(3, 2, padding=1),
            nn.Conv2d(96, 256, 5, stride=2), nn.ReLU(), nn.MaxPool2d(3, 2, padding=1),
            nn.Conv2d(256, 512, 3, padding=1), nn.ReLU(),
            nn.Conv2d(512, 1024, 3, padding=1), nn.ReLU(),
            nn.Conv2d(1024, 512, 3, padding=1), nn.ReLU(), nn.MaxPool2d(3, 2),
        )
        self.avgpool = nn.AdaptiveAvgPool2d(6)
        self.classifier = nn.Sequential(
            nn.Dropout(dropout), nn.Linear(512 * 36, 4096), nn.ReLU(),
            nn.Dropout(dropout), nn.Linear(4096, 4096), nn.ReLU(), nn.Linear(4096, num_classes),
        )

    def forward(self, x):
        return self.classifier(torch.flatten(self.avgpool(self.features(x)), 1))


def nin_block(cin, cout, k, stride, padding):
    return nn.Sequential(
        nn.Conv2d(cin, cout, k, stride, padding), nn.ReLU(),
        nn.Conv2d(cout, cout, 1), nn.ReLU(), nn.Conv2d(cout, cout, 1), nn.ReLU(),
    )


class NiN(nn.Module):
    def __init__(self, num_classes=1000, dropout=0.5):
        super().__init__()
        self.features = nn.Sequential(
            nin_block(3, 96, 11, 4, 0), nn.MaxPool2d(3, 2),
            nin_block(96, 256, 5, 1, 2), nn.MaxPool2d(3, 2),
            nin_block(256, 384, 3, 1, 1), nn.MaxPool2d(3, 2),
            nn.Dropout(dropout), nin_block(384, num_classes, 3, 1, 1),
        )

    def forward(self, x):
        return torch.flatten(nn.functional.adaptive_avg_pool2d(self.features(x), 1), 1)


class PreActBlock(nn.Module):
    """Basic (two 3x3) or bottleneck (1x1, 3x3, 1x1 with 4x expansion) pre-activation block."""

    def __init__(self, cin, planes, stride, bottleneck):
        super().__init__()
        out = planes * (4 if bottleneck else 1)
        specs = [(cin, planes, 1, 1), (planes, planes, 3, stride), (planes, out, 1, 1)] if bottleneck \
            else [(cin, planes, 3, stride), (planes, planes, 3, 1)]
        self.n = len(specs)
        for i, (a, b, k, s) in enumerate(specs, 1):
            setattr(self, f'bn{i}', nn.BatchNorm2d(a))
            setattr(self, f'conv{i}', nn.Conv2d(a, b, k, s, k // 2, bias=False))
        self.downsample = nn.Sequential(nn.Conv2d(cin, out, 1, stride, bias=False)) if stride != 1 or cin != out else None

    def forward(self, x):
        pre = torch.relu(self.bn1(x))
        shortcut = self.downsample(pre) if self.downsample is not None else x
        y = self.conv1(pre)
        for i in range(2, self.n + 1):
            y = getattr(self, f'conv{i}')(torch.relu(getattr(self, f'bn{i}')(y)))
        return y + shortcut


class PreActResNet(nn.Module):
    def __init__(self, layers, bottleneck, num_classes=1000):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 64, 7, 2, 3, bias=False)
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        cin = 64
        for i, (n, planes) in enumerate(zip(layers, [64, 128, 256, 512]), 1):
            blocks = []
            for j in range(n):
                blocks.append(PreActBlock(cin, planes, 2 if (j == 0 and i > 1) else 1, bottleneck))
                cin = planes * (4 if bottleneck else 1)
            setattr(self, f'layer{i}', nn.Sequential(*blocks))
        self.bn_final = nn.BatchNorm2d(cin)
        self.fc = nn.Linear(cin, num_classes)

    def forward(self, x):
        x = self.maxpool(self.conv1(x))
        for i in range(1, 5):
            x = getattr(self, f'layer{i}')(x)
        x = torch.relu(self.bn_final(x))
        return self.fc(torch.flatten(nn.functional.adaptive_avg_pool2d(x, 1), 1))
