"""A small conv net with batch norm, for a golden written in train mode: the model the C# port in ../ConvBN.cs mirrors."""
from torch import nn


class ConvBN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, kernel_size=3, padding=1)  # 28x28
        self.bn1 = nn.BatchNorm2d(4)                              # momentum 0.1: running = 0.9 running + 0.1 batch
        self.act1 = nn.ReLU()
        self.pool1 = nn.MaxPool2d(2)                              # 14x14
        self.flatten = nn.Flatten()
        self.fc = nn.Linear(4 * 14 * 14, 10)

    def forward(self, x):
        x = self.pool1(self.act1(self.bn1(self.conv1(x))))
        return self.fc(self.flatten(x))
