"""LeNet-5 for 28x28 MNIST digits, as PyTorch tutorials write it: the model the C# port in ../LeNet5.cs mirrors."""
from torch import nn


class LeNet5(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, kernel_size=5, padding=2)  # 28x28 in, 28x28 out
        self.act1 = nn.ReLU()
        self.pool1 = nn.MaxPool2d(2)                             # 14x14
        self.conv2 = nn.Conv2d(6, 16, kernel_size=5)             # 10x10
        self.act2 = nn.ReLU()
        self.pool2 = nn.MaxPool2d(2)                             # 5x5
        self.flatten = nn.Flatten()
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.act3 = nn.ReLU()
        self.fc2 = nn.Linear(120, 84)
        self.act4 = nn.ReLU()
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = self.pool1(self.act1(self.conv1(x)))
        x = self.pool2(self.act2(self.conv2(x)))
        x = self.act3(self.fc1(self.flatten(x)))
        x = self.act4(self.fc2(x))
        return self.fc3(x)
